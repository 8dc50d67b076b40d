import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestGateway, type TestGateway } from "./helpers/gateway.ts";
import { insertRunRow } from "./helpers/run-rows.ts";

let t: TestGateway;
beforeAll(async () => {
  t = await openTestGateway();
});
beforeEach(async () => {
  await t.database.reset();
  for (const target of [
    { name: "yarn-prod", kind: "yarn", rmUrls: ["http://rm1:8088"] },
    { name: "session-a", kind: "session", restUrl: "http://jm:8081" },
  ]) {
    expect((await t.request("/v1/targets", { method: "POST", json: target })).status).toBe(201);
  }
});
afterAll(async () => t.close());

const ARTIFACT_ID = "art_01JD3Q8Z5Y6V7W8X9Y0Z1A2B3C";
const spec = {
  target: "yarn-prod",
  mode: "application",
  artifact: { uri: "hdfs:///jobs/orders.jar" },
  entryClass: "com.acme.Orders",
  args: ["--date", "2026-11-21"],
  parallelism: 4,
  flinkConfig: { "taskmanager.numberOfTaskSlots": "2", "state.backend.type": "rocksdb" },
  labels: { team: "growth", tier: "gold" },
};
const job = { name: "orders-enrich", ...spec };

async function post(body: Record<string, unknown>) {
  return t.request("/v1/jobs", { method: "POST", json: body });
}

async function put(name: string, body: Record<string, unknown>) {
  return t.request(`/v1/jobs/${name}`, { method: "PUT", json: body });
}

async function fields(response: Response): Promise<string[]> {
  return ((await response.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field);
}

describe("POST /v1/jobs", () => {
  it("creates version 1 with Location, defaults and timestamps", async () => {
    const response = await post(job);
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe("/v1/jobs/orders-enrich");
    expect(await response.json()).toEqual({
      ...job,
      version: 1,
      allowNonRestoredState: false,
      createdAt: "2026-11-21T12:00:00.000Z",
      updatedAt: "2026-11-21T12:00:00.000Z",
    });
  });

  it("409 when a live job has the name", async () => {
    expect((await post(job)).status).toBe(201);
    const again = await post({ ...job, parallelism: 8 });
    expect(again.status).toBe(409);
    expect((await again.json()).type).toBe("urn:flinkgate:problem:job-exists");
  });

  it("400 naming body.target for an unknown target and body.artifact.id for an unknown artifact", async () => {
    const response = await post({ ...job, target: "nowhere", artifact: { id: ARTIFACT_ID } });
    expect(response.status).toBe(400);
    expect(await fields(response)).toEqual(["body.target", "body.artifact.id"]);
    expect((await t.request("/v1/jobs/orders-enrich")).status).toBe(404);
  });

  it("accepts an artifact id that exists", async () => {
    await t.database.db
      .insertInto("artifacts")
      .values({ id: ARTIFACT_ID, sha256: "a".repeat(64), file_name: "orders.jar", size_bytes: 10, created_at: t.clock.now() })
      .execute();
    const response = await post({ ...job, artifact: { id: ARTIFACT_ID } });
    expect(response.status).toBe(201);
    expect((await response.json()).artifact).toEqual({ id: ARTIFACT_ID });
  });

  it("400 naming body.mode when the target kind cannot run the mode", async () => {
    const onSession = await post({ ...job, target: "session-a", mode: "per-job" });
    expect(onSession.status).toBe(400);
    expect(await fields(onSession)).toEqual(["body.mode"]);
    const onYarn = await post({ ...job, mode: "session" });
    expect(await fields(onYarn)).toEqual(["body.mode"]);
    expect((await post({ ...job, target: "session-a", mode: "session" })).status).toBe(201);
  });

  it("400 naming each bad field of the body", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...job, name: "Orders Enrich" }, "body.name"],
      [{ ...job, mode: "batch" }, "body.mode"],
      [{ ...job, artifact: { uri: "ftp://x/y.jar" } }, "body.artifact.uri"],
      [{ ...job, entryClass: "not a class" }, "body.entryClass"],
      [{ ...job, parallelism: 0 }, "body.parallelism"],
      [{ ...job, retries: 3 }, "body.retries"],
    ];
    for (const [body, field] of cases) {
      const response = await post(body);
      expect(response.status, field).toBe(400);
      expect(await fields(response), field).toContain(field);
    }
  });

  it("scopes: jobs:read cannot create; jobs:write can", async () => {
    const token = async (scopes: string[]) => (await (await t.request("/v1/tokens", { method: "POST", json: { name: "x", scopes } })).json()).token;
    const reader = await token(["jobs:read"]);
    const refused = await t.request("/v1/jobs", { method: "POST", json: job, token: reader });
    expect(refused.status).toBe(403);
    expect((await refused.json()).missingScope).toBe("jobs:write");
    expect((await t.request(`/v1/jobs/${job.name}`, { method: "PUT", json: spec, token: reader })).status).toBe(403);
    expect((await t.request("/v1/jobs", { token: reader })).status).toBe(200);
    expect((await t.request("/v1/jobs", { method: "POST", json: job, token: await token(["jobs:write"]) })).status).toBe(201);
  });

  it("replays a POST with the same Idempotency-Key", async () => {
    const headers = { "idempotency-key": "job-1" };
    const first = await t.request("/v1/jobs", { method: "POST", json: job, headers });
    const again = await t.request("/v1/jobs", { method: "POST", json: job, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
  });
});

describe("PUT /v1/jobs/{name} and versions", () => {
  it("creates (201), keeps the version for the same spec (200), adds one for a change (200)", async () => {
    const created = await put("orders-enrich", spec);
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe("/v1/jobs/orders-enrich");
    expect((await created.json()).version).toBe(1);

    t.clock.advance(1000);
    // The same spec with its map keys in another order is not a change.
    const reordered = { ...spec, labels: { tier: "gold", team: "growth" }, flinkConfig: { "state.backend.type": "rocksdb", "taskmanager.numberOfTaskSlots": "2" } };
    const same = await put("orders-enrich", reordered);
    expect(same.status).toBe(200);
    expect((await same.json()).version).toBe(1);

    const changed = await put("orders-enrich", { ...spec, parallelism: 8 });
    expect(changed.status).toBe(200);
    const v2 = await changed.json();
    expect(v2).toMatchObject({ version: 2, parallelism: 8, createdAt: "2026-11-21T12:00:00.000Z", updatedAt: "2026-11-21T12:00:01.000Z" });

    expect((await (await t.request("/v1/jobs/orders-enrich")).json()).version).toBe(2);
    const v1 = await (await t.request("/v1/jobs/orders-enrich?version=1")).json();
    expect(v1).toMatchObject({ version: 1, parallelism: 4, updatedAt: "2026-11-21T12:00:00.000Z" });
    expect((await t.request("/v1/jobs/orders-enrich?version=3")).status).toBe(404);
    expect((await t.request("/v1/jobs/orders-enrich?version=zero")).status).toBe(400);
  });

  it("checks references and the path name", async () => {
    const badTarget = await put("orders-enrich", { ...spec, target: "nowhere" });
    expect(badTarget.status).toBe(400);
    expect(await fields(badTarget)).toEqual(["body.target"]);
    const badName = await put("Bad_Name!", spec);
    expect(badName.status).toBe(400);
    expect(await fields(badName)).toEqual(["path.name"]);
    const named = await put("orders-enrich", { ...spec, name: "orders-enrich" });
    expect(await fields(named)).toEqual(["body.name"]);
  });

  it("lists versions newest first, page by page; 404 for an unknown job", async () => {
    for (let p = 1; p <= 5; p++) expect([200, 201]).toContain((await put("orders-enrich", { ...spec, parallelism: p })).status);
    const versions: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = await (await t.request(`/v1/jobs/orders-enrich/versions${query}`)).json();
      versions.push(...page.items.map((j: { version: number }) => j.version));
      cursor = page.nextCursor;
    } while (cursor);
    expect(versions).toEqual([5, 4, 3, 2, 1]);
    expect((await t.request("/v1/jobs/nope/versions")).status).toBe(404);
  });
});

describe("GET /v1/jobs", () => {
  it("walks the latest version of every live job by name", async () => {
    for (const name of ["c-job", "a-job", "b-job"]) expect((await post({ ...job, name })).status).toBe(201);
    expect((await put("a-job", { ...spec, parallelism: 2 })).status).toBe(200);
    expect((await t.request("/v1/jobs/c-job", { method: "DELETE" })).status).toBe(204);
    const first = await (await t.request("/v1/jobs?limit=1")).json();
    expect(first.items.map((j: { name: string; version: number }) => [j.name, j.version])).toEqual([["a-job", 2]]);
    const second = await (await t.request(`/v1/jobs?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((j: { name: string }) => j.name)).toEqual(["b-job"]);
    expect(second.nextCursor).toBeNull();
  });

  it("404 for an unknown job", async () => {
    const response = await t.request("/v1/jobs/nope");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  });
});

describe("DELETE /v1/jobs/{name}", () => {
  it("204, then gone; re-creating continues the version numbers", async () => {
    expect((await post(job)).status).toBe(201);
    expect((await put(job.name, { ...spec, parallelism: 2 })).status).toBe(200);
    expect((await t.request(`/v1/jobs/${job.name}`, { method: "DELETE" })).status).toBe(204);
    expect((await t.request(`/v1/jobs/${job.name}`)).status).toBe(404);
    expect((await t.request(`/v1/jobs/${job.name}?version=1`)).status).toBe(404);
    expect((await t.request(`/v1/jobs/${job.name}`, { method: "DELETE" })).status).toBe(404);

    const recreated = await post(job);
    expect(recreated.status).toBe(201);
    expect((await recreated.json()).version).toBe(3);
  });

  it("runs of a deleted job keep its name and version", async () => {
    expect((await post(job)).status).toBe(201);
    await insertRunRow(t.database.db, { id: "run_1", job_name: job.name, job_version: 1, target: "yarn-prod", mode: "application", state: "FINISHED" });
    expect((await t.request(`/v1/jobs/${job.name}`, { method: "DELETE" })).status).toBe(204);
    const run = await t.database.db.selectFrom("runs").select(["job_name", "job_version"]).executeTakeFirstOrThrow();
    expect(run).toEqual({ job_name: job.name, job_version: 1 });
  });
});
