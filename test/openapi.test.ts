import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { renderOpenApiDocument } from "../src/http/openapi-document.ts";

describe("openapi/openapi.json", () => {
  it("is what the code generates (run `npm run openapi` after changing a route)", async () => {
    const committed = await readFile(new URL("../openapi/openapi.json", import.meta.url), "utf8");
    expect(committed).toBe(renderOpenApiDocument());
  });

  it("documents bearer auth and problem responses on /v1 routes", () => {
    const doc = JSON.parse(renderOpenApiDocument());
    expect(doc.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: "http", scheme: "bearer" }));
    for (const [path, item] of Object.entries<Record<string, { security?: unknown; responses: Record<string, unknown> }>>(doc.paths)) {
      if (!path.startsWith("/v1/")) continue;
      for (const operation of Object.values(item)) {
        expect(operation.security, path).toEqual([{ bearerAuth: [] }]);
        expect(Object.keys(operation.responses), path).toContain("401");
      }
    }
  });
});
