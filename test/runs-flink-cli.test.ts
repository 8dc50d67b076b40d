import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatedWorld, openEmulatedWorld } from "./helpers/emulated.ts";
import { runApi } from "./helpers/run-api.ts";
import { yarnRunScenarios } from "./helpers/yarn-run-scenarios.ts";

const FAKE_FLINK_HOME = fileURLToPath(new URL("./fixtures/fake-flink", import.meta.url));

let w: EmulatedWorld;
beforeAll(async () => {
  w = await openEmulatedWorld();
  const cli = (name: string, extra: Record<string, unknown>, cliEnv: Record<string, string> = {}) => ({
    name,
    kind: "yarn",
    rmUrls: w.emulator.rmUrls,
    launcher: "flink-cli",
    user: "flink",
    flinkVersion: "1.18.1",
    flinkHome: FAKE_FLINK_HOME,
    cliEnv: { FLINK_FAKE_RM_URL: w.emulator.rmUrls[0]!, FLINK_FAKE_USER: "flink", ...cliEnv },
    ...extra,
  });
  for (const target of [
    cli("cli", { historyServerUrl: w.emulator.historyServerUrl }),
    cli("cli-nohs", {}),
    cli("cli-crashing", { historyServerUrl: w.emulator.historyServerUrl }, { FLINK_FAKE_CRASH_AFTER_SUBMIT: "1" }),
  ]) {
    const created = await w.t.request("/v1/targets", { method: "POST", json: target });
    expect(created.status, await created.text()).toBe(201);
  }
});
afterAll(async () => w.close());

const start = (api: ReturnType<typeof runApi>, job: string, body?: unknown) => api.whileTimeMoves(api.startRun(job, body));
const targets = { withHistory: "cli", withoutHistory: "cli-nohs" };

describe("application runs through the Flink CLI", () => {
  yarnRunScenarios({ prefix: "cli-app", mode: "application", world: () => w, targets, start });
});

describe("per-job runs through the Flink CLI", () => {
  yarnRunScenarios({ prefix: "cli-perjob", mode: "per-job", world: () => w, targets, start });
});

describe("a Flink CLI that dies after the RM accepted the application", () => {
  it("attaches the run to the application found by its tag instead of failing it", async () => {
    const api = runApi(w);
    await api.defineJob({ name: "cli-crash", target: "cli-crashing", mode: "application", entryClass: "com.acme.StreamingCrash" });
    const response = await w.t.request("/v1/jobs/cli-crash/runs", { method: "POST", json: {} });
    const run = await response.json();
    expect(response.status, JSON.stringify(run)).toBe(201);
    expect(run.state).toBe("DEPLOYING");
    const apps = w.emulator.control.listApps().filter((a) => a.tags.includes(run.yarn.tag));
    expect(apps).toHaveLength(1);
    expect(run.yarn.applicationId).toBe(apps[0]!.appId);
    await api.stepUntil(run.id, "RUNNING", 200);
  });
});
