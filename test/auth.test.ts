import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestGateway, type TestGateway } from "./helpers/gateway.ts";

let t: TestGateway;
beforeAll(async () => {
  t = await openTestGateway();
});
beforeEach(async () => t.database.reset());
afterAll(async () => t.close());

async function createToken(body: Record<string, unknown>) {
  const response = await t.request("/v1/tokens", { method: "POST", json: body });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; token: string; scopes: string[] };
}

describe("bearer authentication", () => {
  it("401 with WWW-Authenticate when the token is missing, malformed or unknown", async () => {
    const missing = await t.request("/v1/tokens", { token: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="flinkgate"');
    const malformed = await t.request("/v1/tokens", { token: null, headers: { authorization: "Basic abc" } });
    expect(malformed.status).toBe(401);
    expect(malformed.headers.get("www-authenticate")).toContain('error="invalid_request"');
    const unknown = await t.request("/v1/tokens", { token: "fgt_not-a-real-token" });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("creates a token shown once and stored only as a hash", async () => {
    const created = await createToken({ name: "reader", scopes: ["runs:read"] });
    expect(created.token).toMatch(/^fgt_/);
    const rows = await t.database.db.selectFrom("api_tokens").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(created.token);
    expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const fetched = await (await t.request(`/v1/tokens/${created.id}`)).json();
    expect(fetched).not.toHaveProperty("token");
  });

  it("403 naming the missing scope", async () => {
    const reader = await createToken({ name: "reader", scopes: ["runs:read"] });
    const response = await t.request("/v1/tokens", { token: reader.token });
    expect(response.status).toBe(403);
    const body = await response.json();
    expect(body.missingScope).toBe("admin");
    expect(body.detail).toContain("'admin'");
  });

  it("a created admin token works, and stops working once revoked", async () => {
    const admin = await createToken({ name: "ops", scopes: ["admin"] });
    expect((await t.request("/v1/tokens", { token: admin.token })).status).toBe(200);
    const revoked = await t.request(`/v1/tokens/${admin.id}`, { method: "DELETE" });
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).revokedAt).not.toBeNull();
    const after = await t.request("/v1/tokens", { token: admin.token });
    expect(after.status).toBe(401);
    expect((await after.json()).detail).toContain("revoked");
  });

  it("an expired token is refused", async () => {
    const soon = new Date(t.clock.now().getTime() + 60_000).toISOString();
    const token = await createToken({ name: "short", scopes: ["admin"], expiresAt: soon });
    expect((await t.request("/v1/tokens", { token: token.token })).status).toBe(200);
    t.clock.advance(61_000);
    const response = await t.request("/v1/tokens", { token: token.token });
    expect(response.status).toBe(401);
    expect((await response.json()).detail).toContain("expired");
  });

  it("rejects an expiry in the past", async () => {
    const response = await t.request("/v1/tokens", { method: "POST", json: { name: "x", scopes: ["admin"], expiresAt: "2020-01-01T00:00:00Z" } });
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual([{ field: "body.expiresAt", message: "must be in the future" }]);
  });

  it("404 revoking an unknown token", async () => {
    expect((await t.request("/v1/tokens/tok_nope", { method: "DELETE" })).status).toBe(404);
  });
});

describe("cursor pagination", () => {
  it("walks every token exactly once", async () => {
    const ids = [];
    for (let i = 0; i < 7; i++) ids.push((await createToken({ name: `t${i}`, scopes: ["runs:read"] })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=3&cursor=${cursor}` : "?limit=3";
      const page = (await (await t.request(`/v1/tokens${query}`)).json()) as { items: Array<{ id: string }>; nextCursor: string | null };
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].sort());
  });
});
