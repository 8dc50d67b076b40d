import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { claimIdempotencyKey } from "../src/store/idempotency-repository.ts";
import { openTestGateway, type TestGateway } from "./helpers/gateway.ts";

let t: TestGateway;
beforeAll(async () => {
  t = await openTestGateway({ IDEMPOTENCY_TTL: "1h", IDEMPOTENCY_LOCK_TIMEOUT: "30s" });
});
beforeEach(async () => t.database.reset());
afterAll(async () => t.close());

const post = (key: string, json: unknown) =>
  t.request("/v1/tokens", { method: "POST", json, headers: { "idempotency-key": key } });

describe("Idempotency-Key", () => {
  it("replays the stored response and creates nothing twice", async () => {
    const first = await post("k1", { name: "a", scopes: ["runs:read"] });
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    const second = await post("k1", { name: "a", scopes: ["runs:read"] });
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.headers.get("location")).toBe(`/v1/tokens/${firstBody.id}`);
    expect(await second.json()).toEqual(firstBody);
    expect(await t.database.db.selectFrom("api_tokens").select("id").execute()).toHaveLength(1);
  });

  it("422 for the same key with another body", async () => {
    expect((await post("k2", { name: "a", scopes: ["runs:read"] })).status).toBe(201);
    const other = await post("k2", { name: "b", scopes: ["runs:read"] });
    expect(other.status).toBe(422);
    expect((await other.json()).type).toBe("urn:flinkgate:problem:idempotency-key-reused");
  });

  it("409 while the first request with the key is in flight, until its lock times out", async () => {
    const request = { principal: "bootstrap", key: "k3", method: "POST", path: "/v1/tokens" };
    const body = JSON.stringify({ name: "a", scopes: ["runs:read"] });
    // Claim the key as a request that is still running would (same hash as the HTTP request below).
    const { createHash } = await import("node:crypto");
    const requestHash = createHash("sha256").update("application/json").update("\n").update(body).digest("hex");
    const claim = await claimIdempotencyKey(t.database.db, { ...request, requestHash }, t.clock.now(), { ttlMs: 3_600_000, lockTimeoutMs: 30_000 });
    expect(claim.kind).toBe("claimed");
    const busy = await t.request("/v1/tokens", { method: "POST", body, headers: { "idempotency-key": "k3", "content-type": "application/json" } });
    expect(busy.status).toBe(409);
    expect((await busy.json()).type).toBe("urn:flinkgate:problem:idempotency-key-in-flight");
    t.clock.advance(31_000);
    const taken = await t.request("/v1/tokens", { method: "POST", body, headers: { "idempotency-key": "k3", "content-type": "application/json" } });
    expect(taken.status).toBe(201);
  });

  it("does not store validation failures as anything but their own response", async () => {
    const bad = await post("k4", { name: "" });
    expect(bad.status).toBe(400);
    const again = await post("k4", { name: "" });
    expect(again.status).toBe(400);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });

  it("forgets keys after their time to live", async () => {
    expect((await post("k5", { name: "a", scopes: ["runs:read"] })).status).toBe(201);
    t.clock.advance(3_600_001);
    const later = await post("k5", { name: "b", scopes: ["runs:read"] });
    expect(later.status).toBe(201);
    expect(later.headers.get("idempotent-replayed")).toBeNull();
  });

  it("keys are scoped to the caller", async () => {
    const other = await (await t.request("/v1/tokens", { method: "POST", json: { name: "ops", scopes: ["admin"] } })).json();
    expect((await post("shared", { name: "a", scopes: ["runs:read"] })).status).toBe(201);
    const theirs = await t.request("/v1/tokens", {
      method: "POST",
      token: other.token,
      json: { name: "z", scopes: ["runs:read"] },
      headers: { "idempotency-key": "shared" },
    });
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
  });

  it("rejects a key that is not visible ASCII", async () => {
    const response = await post("has space", { name: "a", scopes: ["runs:read"] });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].field).toBe("header.idempotency-key");
  });
});
