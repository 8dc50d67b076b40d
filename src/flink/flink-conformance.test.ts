import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { flinkRoutes } from "./flink-routes.ts";

const REFERENCE = new URL("../../test/reference/flink/", import.meta.url);
const spec = parse(readFileSync(new URL("rest_v1_dispatcher.yml", REFERENCE), "utf8")) as {
  paths: Record<string, Record<string, unknown>>;
};
const snapshot = JSON.parse(readFileSync(new URL("rest_api_v1.snapshot", REFERENCE), "utf8")) as {
  calls: { url: string; method: string }[];
};

describe("Flink client conformance with the reference API documents", () => {
  const routes = Object.entries(flinkRoutes);

  it.each(routes.filter(([, r]) => !("undocumented" in r)))("%s exists in rest_v1_dispatcher.yml", (_, route) => {
    expect(spec.paths[route.path], route.path).toBeDefined();
    expect(Object.keys(spec.paths[route.path] ?? {})).toContain(route.method.toLowerCase());
  });

  it.each(routes.filter(([, r]) => !("undocumented" in r)))("%s exists in rest_api_v1.snapshot", (_, route) => {
    const url = route.path.replace(/\{(\w+)\}/g, ":$1");
    expect(snapshot.calls.some((c) => c.url === url && c.method === route.method)).toBe(true);
  });

  it("marks as undocumented only what the documents really lack", () => {
    for (const route of Object.values(flinkRoutes).filter((r) => "undocumented" in r)) {
      expect(spec.paths[route.path]).toBeUndefined();
    }
  });
});
