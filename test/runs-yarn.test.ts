import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatedWorld, openEmulatedWorld } from "./helpers/emulated.ts";
import { yarnRunScenarios } from "./helpers/yarn-run-scenarios.ts";

let w: EmulatedWorld;
beforeAll(async () => {
  w = await openEmulatedWorld();
  const created = await w.t.request("/v1/targets", {
    method: "POST",
    json: { name: "yarn-nohs", kind: "yarn", rmUrls: w.emulator.rmUrls, launcher: "yarn-rest", user: "flink", flinkVersion: "1.18.1", flinkDistUri: w.distUri },
  });
  expect(created.status).toBe(201);
});
afterAll(async () => w.close());

describe("application runs through the RM REST API (yarn-rest)", () => {
  yarnRunScenarios({ prefix: "rest", mode: "application", world: () => w, targets: { withHistory: "yarn", withoutHistory: "yarn-nohs" } });

  it("refuses an artifact uploaded to flinkgate: the NodeManager needs a URI it can read", async () => {
    const id = await w.uploadJar();
    const response = await w.t.request("/v1/runs", {
      method: "POST",
      json: { job: { target: "yarn", mode: "application", artifact: { id }, entryClass: "com.acme.BatchUploaded" } },
    });
    const problem = await response.json();
    expect(response.status, JSON.stringify(problem)).toBe(422);
    expect(problem.type).toContain("artifact-unusable-for-target");
  });
});
