import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_SCRIPT } from "../../emulator/job-script.ts";
import { appJson } from "../../emulator/yarn-app.ts";
import type { YarnApp as EmulatedApp } from "../../emulator/yarn-app.ts";
import { decodeBothWays } from "../upstream/decode-both-ways.ts";
import { sendJson, startTestServer } from "../upstream/test-server.ts";
import type { TestServer } from "../upstream/test-server.ts";
import { decodeYarnAppList } from "./yarn-app-list-decoder.ts";
import { YarnClient } from "./yarn-client.ts";
import { yarnAppListSchema, yarnAppSchema } from "./yarn-schemas.ts";

const EXAMPLES = new URL("../../test/reference/yarn/examples/", import.meta.url);
const example = (name: string): unknown => JSON.parse(readFileSync(new URL(name, EXAMPLES), "utf8"));

/** The client's answer is the same either way, key order included; `fast` says whether the fast decoder gave it. */
function expectAgreement(json: unknown, fast: boolean, text = JSON.stringify(json)) {
  const { viaFast, viaSchema, fastAnswered } = decodeBothWays(yarnAppListSchema, decodeYarnAppList, text);
  expect(viaFast).toStrictEqual(viaSchema);
  expect(fastAnswered).toBe(fast);
  return viaSchema;
}

const APP = "application_1700000000000_0042";
/** Every field `yarnAppSchema` reads, and some of the thirty it drops. */
const full = {
  id: APP, user: "flink", name: "orders", queue: "default", state: "RUNNING", finalStatus: "UNDEFINED", progress: 10,
  trackingUI: "ApplicationMaster", trackingUrl: `http://rm:8088/proxy/${APP}/`, diagnostics: "", clusterId: 1700000000000,
  applicationType: "Apache Flink", applicationTags: "gw-run-1,team-growth", priority: 0, startedTime: 5, finishedTime: 0,
  elapsedTime: 10, amRPCAddress: "nm1:40123", resourceRequests: [{ priority: { priority: 0 } }],
};
const shape = yarnAppSchema.in.shape;
const fieldNames = Object.keys(shape) as (keyof typeof shape)[];
const optional = fieldNames.filter((k) => shape[k].safeParse(undefined).success);
const without = (key: string) => Object.fromEntries(Object.entries(full).filter(([k]) => k !== key));
const list = (...apps: unknown[]) => ({ apps: { app: apps } });

function emulatedApp(over: Partial<EmulatedApp>): EmulatedApp {
  return {
    id: APP, user: "flink", name: "orders", queue: "default", type: "Apache Flink", tags: ["gw-run-1"], priority: 0,
    amMemoryMb: 2048, amVCores: 1, startedTime: 1_000, launchTime: 0, finishedTime: 0, state: "ACCEPTED", finalStatus: "UNDEFINED",
    diagnostics: "", maxAttempts: 2, attempt: 1, entrypoint: "application", hasCommand: true, flinkConfig: {}, script: DEFAULT_SCRIPT,
    am: null, amRpcAddress: null, finalTrackingUrl: null, jobId: null, proxyNotFound: false, ...over,
  };
}

describe("decodeYarnAppList", () => {
  it("gives what the schema gives on the reference examples", () => {
    expectAgreement(example("apps.json"), true);
    const { app } = example("app.json") as { app: unknown };
    expectAgreement({ apps: { app } }, true);
  });

  it("gives what the schema gives on the emulator's apps, every stage of an application's life", () => {
    const apps = [
      emulatedApp({ state: "NEW_SAVING", tags: [] }),
      emulatedApp({ state: "ACCEPTED" }),
      emulatedApp({ state: "RUNNING", launchTime: 1_100, amRpcAddress: "127.0.0.1:40123", tags: ["gw-run-1", "team-a"] }),
      emulatedApp({ state: "FINISHED", finalStatus: "SUCCEEDED", launchTime: 1_100, finishedTime: 9_000, amRpcAddress: "127.0.0.1:40123" }),
      emulatedApp({ state: "KILLED", finalStatus: "KILLED", launchTime: 1_100, finishedTime: 9_000, diagnostics: "killed by user" }),
      emulatedApp({ state: "FAILED", finalStatus: "FAILED", finishedTime: 2_000, priority: 5 }),
    ].map((a, i) => appJson({ ...a, id: `application_1700000000000_000${i}` }, "http://127.0.0.1:8088", 10_000));
    const { value } = expectAgreement({ apps: { app: apps } }, true);
    expect((value as unknown[]).length).toBe(6);
    expectAgreement({ apps: { app: apps[2] } }, true);
  });

  it("drops the fields the schema does not read, and maps tags, priority and finishedTime as it does", () => {
    const { value } = expectAgreement(list(full, { ...full, applicationTags: " A , b ,, ", priority: "-3", finishedTime: 77 }), true);
    expect(value).toMatchObject([
      { tags: ["gw-run-1", "team-growth"], priority: 0, finishedTime: null },
      { tags: ["A", "b"], priority: -3, finishedTime: 77 },
    ]);
    expect(value).not.toHaveProperty("0.progress");
  });

  it.each([["5"], ["high"], [" 5"], [5.5], [-1]])("keeps priority %j as the schema does", (priority) => {
    expectAgreement(list({ ...full, priority }), true);
  });

  it.each(optional)("accepts %s absent, as the schema does", (key) => {
    expectAgreement(list(without(key)), true);
  });

  it("accepts an app with nothing but identity and state", () => {
    const { value } = expectAgreement(list({ id: APP, state: "NEW", finalStatus: "UNDEFINED" }), true);
    expect(value).toStrictEqual([
      { id: APP, state: "NEW", finalStatus: "UNDEFINED", diagnostics: "", tags: [], finishedTime: null, priority: undefined },
    ]);
  });

  it.each(fieldNames.filter((k) => !optional.includes(k)))("leaves a missing %s to the schema", (key) => {
    expect(expectAgreement(list(full, without(key)), false).error?.message).toContain("apps.app");
  });

  it.each(fieldNames)("leaves null, an object or an array in %s to the schema's error", (key) => {
    for (const wrong of [null, {}, []]) {
      expect(expectAgreement(list(full, { ...full, [key]: wrong }), false).error?.failure).toBe("bad-response");
    }
  });

  it("leaves a number too large for a double (Infinity once parsed) to the schema's error", () => {
    const text = JSON.stringify(list(full)).replace('"startedTime":5', '"startedTime":1e400');
    expect(expectAgreement(undefined, false, text).error?.failure).toBe("bad-response");
  });

  it.each([
    ["state", "PAUSED", "yarn.YarnApplicationState"],
    ["finalStatus", "ENDED", "yarn.FinalApplicationStatus"],
    ["trackingUI", "Dashboard", "yarn.TrackingUI"],
  ])("leaves an unknown %s to the schema, which keeps it and reports it", (key, unknown, enumName) => {
    const { value, reports } = expectAgreement(list(full, { ...full, [key]: unknown }), false);
    expect(value).toMatchObject([{}, { [key]: unknown }]);
    expect(reports).toEqual([{ enumName, value: unknown, url: expect.any(String) }]);
  });

  it.each([[{}], [{ apps: null }], [{ apps: {} }], [{ apps: { app: null } }], [{ apps: { app: [] } }]])("reads %j as no apps", (body) => {
    expect(expectAgreement(body, true).value).toEqual([]);
  });

  it.each([[[]], [null], [{ apps: [] }], [{ apps: "x" }], [{ apps: { app: {} } }], [{ apps: { app: "x" } }], [{ apps: { app: [null] } }]])(
    "leaves %j to the schema's error",
    (body) => {
      expect(expectAgreement(body, false).error?.failure).toBe("bad-response");
    },
  );
});

describe("YarnClient.listApps", () => {
  let server: TestServer;
  let yarn: YarnClient;
  beforeAll(async () => {
    server = await startTestServer();
    yarn = new YarnClient({ rmUrls: [server.url], http: { timeoutMs: 500, retry: { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 1 } } });
  });
  afterAll(async () => {
    await yarn.close();
    await server.close();
  });

  it("decodes a well-formed list without the schema and a malformed one with it", async () => {
    const safeParse = vi.spyOn(yarnAppListSchema, "safeParse");
    try {
      server.handle = (_, res) => sendJson(res, 200, list(full));
      await expect(yarn.listApps()).resolves.toMatchObject({ apps: [{ id: APP, tags: ["gw-run-1", "team-growth"] }] });
      expect(safeParse).not.toHaveBeenCalled();
      server.handle = (_, res) => sendJson(res, 200, list({ ...full, startedTime: "5" }));
      await expect(yarn.listApps()).rejects.toMatchObject({ failure: "bad-response", message: expect.stringContaining("apps.app") });
      expect(safeParse).toHaveBeenCalledTimes(1);
    } finally {
      safeParse.mockRestore();
    }
  });
});
