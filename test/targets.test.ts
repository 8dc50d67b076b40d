import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestGateway, type TestGateway } from "./helpers/gateway.ts";
import { insertRunRow } from "./helpers/run-rows.ts";

let t: TestGateway;
beforeAll(async () => {
  t = await openTestGateway();
});
beforeEach(async () => t.database.reset());
afterAll(async () => t.close());

const session = { name: "session-a", kind: "session", restUrl: "http://jm:8081", historyServerUrl: "http://hs:8082", headers: { Authorization: "Bearer s3cret" } };
const yarn = { name: "yarn-prod", kind: "yarn", rmUrls: ["http://rm1:8088", "http://rm2:8088"], queue: "etl", flinkVersion: "1.18.1" };

async function create(body: Record<string, unknown>) {
  const response = await t.request("/v1/targets", { method: "POST", json: body });
  expect(response.status).toBe(201);
  return response.json();
}

async function tokenWith(...scopes: string[]): Promise<string> {
  const response = await t.request("/v1/tokens", { method: "POST", json: { name: "scoped", scopes } });
  return (await response.json()).token;
}

async function insertRun(target: string, state: string, id: string) {
  await insertRunRow(t.database.db, { id, target, state });
}

describe("POST /v1/targets", () => {
  it("creates a session target with defaults, Location and timestamps, header values redacted", async () => {
    const response = await t.request("/v1/targets", { method: "POST", json: session });
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe("/v1/targets/session-a");
    const body = await response.json();
    expect(body).toEqual({ ...session, headers: { Authorization: "[redacted]" }, createdAt: "2026-11-21T12:00:00.000Z", updatedAt: "2026-11-21T12:00:00.000Z" });
    expect(JSON.stringify(await (await t.request("/v1/targets/session-a")).json())).not.toContain("s3cret");
    expect(JSON.stringify(await (await t.request("/v1/targets")).json())).not.toContain("s3cret");
    // The value itself is kept: only the API hides it.
    const row = await t.database.db.selectFrom("targets").select("spec").where("name", "=", "session-a").executeTakeFirstOrThrow();
    expect(row.spec).toMatchObject({ headers: { Authorization: "Bearer s3cret" } });
  });

  it("creates a yarn target with its launcher defaults", async () => {
    const body = await create(yarn);
    expect(body).toMatchObject({ ...yarn, launcher: "yarn-rest", libUris: [], flinkConfig: {}, jobManagerMemoryMb: 1600 });
    expect(body).not.toHaveProperty("health");
  });

  it("409 when the name is taken", async () => {
    await create(session);
    const response = await t.request("/v1/targets", { method: "POST", json: { ...session, restUrl: "http://other:8081" } });
    expect(response.status).toBe(409);
    expect((await response.json()).type).toBe("urn:flinkgate:problem:target-exists");
  });

  it("400 naming each bad field", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...session, restUrl: "ftp://jm" }, "body.restUrl"],
      [{ ...session, restUrl: "not a url" }, "body.restUrl"],
      [{ ...session, kind: "kubernetes" }, "body.kind"],
      [{ ...session, colour: "blue" }, "body.colour"],
      [{ ...session, name: "Session_A" }, "body.name"],
      [{ ...yarn, rmUrls: [] }, "body.rmUrls"],
      [{ ...yarn, launcher: "ssh" }, "body.launcher"],
    ];
    for (const [body, field] of cases) {
      const response = await t.request("/v1/targets", { method: "POST", json: body });
      expect(response.status, field).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect((await response.json()).errors.map((e: { field: string }) => e.field), JSON.stringify(body)).toContain(field);
    }
  });

  it("a targets:read token cannot create; a targets:write token can", async () => {
    const reader = await tokenWith("targets:read");
    const refused = await t.request("/v1/targets", { method: "POST", json: session, token: reader });
    expect(refused.status).toBe(403);
    expect((await refused.json()).missingScope).toBe("targets:write");
    expect((await t.request("/v1/targets", { token: reader })).status).toBe(200);
    const writer = await tokenWith("targets:write");
    expect((await t.request("/v1/targets", { method: "POST", json: session, token: writer })).status).toBe(201);
    const jobsOnly = await tokenWith("jobs:write");
    expect((await t.request("/v1/targets", { token: jobsOnly })).status).toBe(403);
  });

  it("replays a POST with the same Idempotency-Key instead of answering 409", async () => {
    const headers = { "idempotency-key": "create-session-a" };
    const first = await t.request("/v1/targets", { method: "POST", json: session, headers });
    expect(first.status).toBe(201);
    const again = await t.request("/v1/targets", { method: "POST", json: session, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
  });
});

describe("GET /v1/targets", () => {
  it("walks every target by name, page by page", async () => {
    const names = ["t-05", "t-01", "t-04", "t-02", "t-03"];
    for (const name of names) await create({ ...session, name });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = await (await t.request(`/v1/targets${query}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i: { name: string }) => i.name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual([...names].sort());
    expect(pages).toBe(3);
    expect((await t.request("/v1/targets?cursor=garbage")).status).toBe(400);
  });
});

describe("GET /v1/targets/{name}", () => {
  it("404 for an unknown target", async () => {
    const response = await t.request("/v1/targets/nope");
    expect(response.status).toBe(404);
    expect((await response.json()).detail).toContain("'nope'");
  });
});

describe("the monitor's view of a target (health)", () => {
  const never = { consecutiveFailures: null, errorCount: null, lastError: null, lastErrorAt: null, lastSuccessAt: null, leaseHolder: null, leaseExpiresAt: null };

  it("is all nulls until the target is reconciled, on the target and in the list", async () => {
    await create(session);
    expect((await (await t.request("/v1/targets/session-a")).json()).health).toEqual(never);
    expect((await (await t.request("/v1/targets")).json()).items[0].health).toEqual(never);
  });

  it("shows the counted errors, the last success and the lease holder", async () => {
    await create(session);
    await create(yarn);
    const db = t.database.db;
    const at = new Date("2026-11-21T12:00:00Z");
    const later = new Date("2026-11-21T12:00:10Z");
    await db.insertInto("target_health").values({ target: "session-a", consecutive_failures: 0, error_count: 0, last_success_at: at, updated_at: at }).execute();
    await db
      .insertInto("target_health")
      .values({ target: "yarn-prod", consecutive_failures: 2, error_count: 5, last_error: "yarn server-error: 503", last_error_at: later, last_success_at: at, updated_at: later })
      .execute();
    await db.insertInto("target_leases").values({ target: "yarn-prod", holder: "replica-b", expires_at: new Date("2026-11-21T12:00:40Z") }).execute();

    const body = await (await t.request("/v1/targets/yarn-prod")).json();
    expect(body.health).toEqual({
      consecutiveFailures: 2,
      errorCount: 5,
      lastError: "yarn server-error: 503",
      lastErrorAt: "2026-11-21T12:00:10.000Z",
      lastSuccessAt: "2026-11-21T12:00:00.000Z",
      leaseHolder: "replica-b",
      leaseExpiresAt: "2026-11-21T12:00:40.000Z",
    });
    const list = await (await t.request("/v1/targets")).json();
    expect(list.items.map((i: { name: string; health: { errorCount: number | null; leaseHolder: string | null } }) => [i.name, i.health.errorCount, i.health.leaseHolder])).toEqual([
      ["session-a", 0, null],
      ["yarn-prod", 5, "replica-b"],
    ]);
  });
});

describe("PATCH /v1/targets/{name}", () => {
  it("merges the patch, keeps what it does not name, removes nulls and bumps updatedAt", async () => {
    await create(session);
    t.clock.advance(60_000);
    const response = await t.request("/v1/targets/session-a", {
      method: "PATCH",
      headers: { "content-type": "application/merge-patch+json" },
      body: JSON.stringify({ restUrl: "http://jm2:8081", historyServerUrl: null, headers: { "X-Tenant": "acme" } }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ name: "session-a", restUrl: "http://jm2:8081", headers: { Authorization: "[redacted]", "X-Tenant": "[redacted]" } });
    expect(body).not.toHaveProperty("historyServerUrl");
    expect(body.createdAt).toBe("2026-11-21T12:00:00.000Z");
    expect(body.updatedAt).toBe("2026-11-21T12:01:00.000Z");
    expect(await (await t.request("/v1/targets/session-a")).json()).toEqual({ ...body, health: expect.any(Object) });
  });

  it("a header sent back as [redacted] keeps its stored value; null removes it", async () => {
    await create(session);
    // What GET returned, sent back whole (read-only fields included) with one change.
    const current = await (await t.request("/v1/targets/session-a")).json();
    const response = await t.request("/v1/targets/session-a", { method: "PATCH", json: { ...current, restUrl: "http://jm3:8081" } });
    expect(response.status).toBe(200);
    const spec = async () =>
      (await t.database.db.selectFrom("targets").select("spec").where("name", "=", "session-a").executeTakeFirstOrThrow()).spec;
    expect(await spec()).toMatchObject({ restUrl: "http://jm3:8081", headers: { Authorization: "Bearer s3cret" } });

    const unknown = await t.request("/v1/targets/session-a", { method: "PATCH", json: { headers: { "X-New": "[redacted]" } } });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors[0].field).toBe("body.headers.X-New");

    expect((await t.request("/v1/targets/session-a", { method: "PATCH", json: { headers: { Authorization: null } } })).status).toBe(200);
    expect(await spec()).toMatchObject({ headers: {} });
  });

  it("a YARN target's CLI environment is shown redacted and kept when sent back so", async () => {
    const yarnCli = { name: "yarn-cli", kind: "yarn", rmUrls: ["http://rm1:8088"], launcher: "flink-cli", flinkHome: "/opt/flink", cliEnv: { HADOOP_CONF_DIR: "/etc/hadoop", AWS_SECRET_ACCESS_KEY: "s3cret" } };
    const created = await t.request("/v1/targets", { method: "POST", json: yarnCli });
    expect(created.status).toBe(201);
    expect((await created.json()).cliEnv).toEqual({ HADOOP_CONF_DIR: "[redacted]", AWS_SECRET_ACCESS_KEY: "[redacted]" });
    const current = await (await t.request("/v1/targets/yarn-cli")).json();
    expect(current.cliEnv).toEqual({ HADOOP_CONF_DIR: "[redacted]", AWS_SECRET_ACCESS_KEY: "[redacted]" });

    const response = await t.request("/v1/targets/yarn-cli", { method: "PATCH", json: { ...current, cliEnv: { ...current.cliEnv, HADOOP_CONF_DIR: "/etc/hadoop2" } } });
    expect(response.status).toBe(200);
    const stored = await t.database.db.selectFrom("targets").select("spec").where("name", "=", "yarn-cli").executeTakeFirstOrThrow();
    expect(stored.spec).toMatchObject({ cliEnv: { HADOOP_CONF_DIR: "/etc/hadoop2", AWS_SECRET_ACCESS_KEY: "s3cret" } });

    const unknown = await t.request("/v1/targets/yarn-cli", { method: "PATCH", json: { cliEnv: { KRB5CCNAME: "[redacted]" } } });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors[0].field).toBe("body.cliEnv.KRB5CCNAME");
  });

  it("400 naming name or kind when a patch changes them; the same value is accepted", async () => {
    await create(session);
    for (const [patch, field] of [
      [{ name: "session-b" }, "body.name"],
      [{ kind: "yarn", rmUrls: ["http://rm:8088"] }, "body.kind"],
      [{ name: null }, "body.name"],
    ] as const) {
      const response = await t.request("/v1/targets/session-a", { method: "PATCH", json: patch });
      expect(response.status).toBe(400);
      expect((await response.json()).errors).toEqual([{ field, message: "cannot be changed; create a new target instead" }]);
    }
    expect((await t.request("/v1/targets/session-a", { method: "PATCH", json: { name: "session-a", kind: "session" } })).status).toBe(200);
  });

  it("validates the merged target like a new one", async () => {
    await create(yarn);
    const badUrl = await t.request("/v1/targets/yarn-prod", { method: "PATCH", json: { rmUrls: ["nope"] } });
    expect(badUrl.status).toBe(400);
    expect((await badUrl.json()).errors[0].field).toBe("body.rmUrls.0");
    const unknown = await t.request("/v1/targets/yarn-prod", { method: "PATCH", json: { restUrl: "http://jm:8081" } });
    expect((await unknown.json()).errors[0]).toEqual({ field: "body.restUrl", message: "is not a known field" });
    const required = await t.request("/v1/targets/yarn-prod", { method: "PATCH", json: { rmUrls: null } });
    expect((await required.json()).errors[0].field).toBe("body.rmUrls");
    // A null on a defaulted field returns it to its default.
    const reset = await t.request("/v1/targets/yarn-prod", { method: "PATCH", json: { queue: null } });
    expect((await reset.json()).queue).toBe("default");
    expect((await t.request("/v1/targets/yarn-prod", { method: "PATCH", json: [1] })).status).toBe(400);
  });

  it("404 for an unknown target; 403 for a read-only token", async () => {
    expect((await t.request("/v1/targets/nope", { method: "PATCH", json: { restUrl: "http://x:1" } })).status).toBe(404);
    await create(session);
    const reader = await tokenWith("targets:read");
    expect((await t.request("/v1/targets/session-a", { method: "PATCH", json: {}, token: reader })).status).toBe(403);
  });
});

describe("DELETE /v1/targets/{name}", () => {
  it("204, then 404", async () => {
    await create(session);
    expect((await t.request("/v1/targets/session-a", { method: "DELETE" })).status).toBe(204);
    expect((await t.request("/v1/targets/session-a")).status).toBe(404);
    expect((await t.request("/v1/targets/session-a", { method: "DELETE" })).status).toBe(404);
  });

  it("409 while a run on it has not ended (LOST included); allowed once every run is terminal", async () => {
    await create(session);
    await insertRun("session-a", "FINISHED", "run_a");
    await insertRun("session-a", "LOST", "run_b");
    await insertRun("other", "RUNNING", "run_c");
    const refused = await t.request("/v1/targets/session-a", { method: "DELETE" });
    expect(refused.status).toBe(409);
    const body = await refused.json();
    expect(body.type).toBe("urn:flinkgate:problem:target-in-use");
    expect(body.detail).toContain("1 run(s)");
    expect((await t.request("/v1/targets/session-a")).status).toBe(200);
    await t.database.db.updateTable("runs").set({ state: "CANCELED" }).where("id", "=", "run_b").execute();
    expect((await t.request("/v1/targets/session-a", { method: "DELETE" })).status).toBe(204);
  });
});
