import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { yarnAppListSchema, yarnAppResponseSchema, yarnAppStateBodySchema, yarnClusterInfoSchema, yarnNewApplicationSchema, yarnRemoteExceptionSchema } from "./yarn-schemas.ts";
import { submissionContextSchema } from "./yarn-submission.ts";

const DIR = new URL("../../test/reference/yarn/examples/", import.meta.url);
const schemaFor: Record<string, z.ZodType> = {
  "app-state-kill-request.json": yarnAppStateBodySchema,
  "app-state-kill-response-200.json": yarnAppStateBodySchema,
  "app-state-kill-response-202.json": yarnAppStateBodySchema,
  "app-state.json": yarnAppStateBodySchema,
  "app.json": yarnAppResponseSchema,
  "apps.json": yarnAppListSchema,
  "cluster-info.json": yarnClusterInfoSchema,
  "error-not-found.json": yarnRemoteExceptionSchema,
  "new-application.json": yarnNewApplicationSchema,
  "submit-application-request.json": submissionContextSchema,
};
const load = (name: string): unknown => JSON.parse(readFileSync(new URL(name, DIR), "utf8"));

describe("YARN reference examples", () => {
  it("has a schema for every example file", () => {
    expect(readdirSync(DIR).sort()).toEqual(Object.keys(schemaFor).sort());
  });

  it.each(Object.entries(schemaFor))("%s parses", (name, schema) => {
    const result = schema.safeParse(load(name));
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it("reads the values that matter", () => {
    const apps = yarnAppListSchema.parse(load("apps.json"));
    expect(apps.map((a) => [a.id, a.state, a.finalStatus, a.tags])).toEqual([
      ["application_1476912658570_0002", "FINISHED", "SUCCEEDED", []],
      ["application_1476912658570_0001", "FINISHED", "SUCCEEDED", []],
    ]);
    expect(yarnClusterInfoSchema.parse(load("cluster-info.json")).haState).toBe("ACTIVE");
    expect(yarnNewApplicationSchema.parse(load("new-application.json"))).toEqual({
      applicationId: "application_1404198295326_0003",
      maximumResourceCapability: { memoryMb: 8192, vCores: 32 },
    });
    expect(yarnAppResponseSchema.parse(load("app.json")).finishedTime).toBe(1476913761898);
  });
});
