import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestGateway, type TestGateway, type TestResponse } from "./helpers/gateway.ts";

let t: TestGateway;
beforeAll(async () => {
  t = await openTestGateway({ BODY_LIMIT: "2kb" });
});
afterAll(async () => t.close());

async function problem(response: TestResponse) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as Record<string, unknown> & { type: string; status: number };
}

describe("errors are problem+json", () => {
  it("404 for an unknown route", async () => {
    const response = await t.request("/v1/nothing-here");
    expect(response.status).toBe(404);
    expect((await problem(response)).type).toBe("urn:flinkgate:problem:not-found");
  });

  it("405 with Allow for a wrong method", async () => {
    const response = await t.request("/healthz", { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
    expect((await problem(response)).type).toBe("urn:flinkgate:problem:method-not-allowed");
  });

  it("413 for a body over the limit", async () => {
    const response = await t.request("/v1/tokens", { method: "POST", json: { name: "x".repeat(5000), scopes: ["admin"] } });
    expect(response.status).toBe(413);
    expect((await problem(response)).type).toBe("urn:flinkgate:problem:payload-too-large");
  });

  it("400 for malformed JSON", async () => {
    const response = await t.request("/v1/tokens", {
      method: "POST",
      body: '{"name": "a",',
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(400);
    expect((await problem(response)).type).toBe("urn:flinkgate:problem:malformed-json");
  });

  it("415 for a body that is not JSON", async () => {
    const response = await t.request("/v1/tokens", { method: "POST", body: "name=a", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(response.status).toBe(415);
    expect((await problem(response)).type).toBe("urn:flinkgate:problem:unsupported-media-type");
  });

  it("400 naming every bad field", async () => {
    const response = await t.request("/v1/tokens", { method: "POST", json: { name: "", scopes: ["nope"], colour: "red" } });
    expect(response.status).toBe(400);
    const body = await problem(response);
    expect(body.type).toBe("urn:flinkgate:problem:validation-error");
    const fields = (body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(["body.colour", "body.name", "body.scopes.0"]);
  });

  it("400 naming a bad query parameter", async () => {
    const response = await t.request("/v1/tokens?limit=0");
    expect(response.status).toBe(400);
    expect((await problem(response)).errors).toEqual([expect.objectContaining({ field: "query.limit" })]);
    const cursor = await t.request("/v1/tokens?cursor=garbage");
    expect((await problem(cursor)).errors).toEqual([{ field: "query.cursor", message: "is not a cursor returned by this API" }]);
  });
});

describe("request ids", () => {
  it("echoes a sane X-Request-Id and makes one otherwise", async () => {
    const given = await t.request("/healthz", { headers: { "x-request-id": "abc-123" } });
    expect(given.headers.get("x-request-id")).toBe("abc-123");
    const made = await t.request("/healthz", { headers: { "x-request-id": "bad id with spaces" } });
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const failed = await t.request("/v1/nothing", { headers: { "x-request-id": "req-9" } });
    expect((await failed.json()).requestId).toBe("req-9");
  });
});

describe("health", () => {
  it("reports alive and ready", async () => {
    expect(await (await t.request("/healthz", { token: null })).json()).toEqual({ status: "ok" });
    const ready = await t.request("/readyz", { token: null });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { database: "ok", migrations: "ok" } });
  });

  it("serves the OpenAPI document and the docs page without auth", async () => {
    const doc = await (await t.request("/openapi.json", { token: null })).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/v1/tokens");
    const page = await t.request("/docs", { token: null });
    expect(await page.text()).toContain("/docs/assets/swagger-ui-bundle.js");
    const asset = await t.request("/docs/assets/swagger-ui-bundle.js", { token: null });
    expect(asset.status).toBe(200);
    expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });
});

describe("bodies", () => {
  it("treats an empty body sent as JSON as no fields rather than malformed JSON", async () => {
    const empty = await t.request("/v1/tokens", { method: "POST", body: "", headers: { "content-type": "application/json" } });
    expect(empty.status).toBe(400);
    const fields = (await empty.json()).errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(["body.name", "body.scopes"]);
  });
});
