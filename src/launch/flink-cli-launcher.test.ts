import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlinkCliError } from "./launch-errors.ts";
import { flinkCliArgs, parseFlinkCliOutput } from "./flink-cli-command.ts";
import { createFlinkCliLauncher } from "./flink-cli-launcher.ts";
import { createLaunchClients } from "./launch-clients.ts";
import type { LaunchClients } from "./launch-clients.ts";
import type { Launcher } from "./launcher.ts";
import { makeRun, startLaunchEmulator } from "./launch-test-support.ts";
import type { LaunchEmulator } from "./launch-test-support.ts";
import type { YarnTarget } from "../domain/target.ts";

const FAKE_FLINK_HOME = fileURLToPath(new URL("../../test/fixtures/fake-flink", import.meta.url));

let env: LaunchEmulator;
let clients: LaunchClients;
let launcher: Launcher;
let target: YarnTarget;

beforeAll(async () => {
  env = await startLaunchEmulator();
  target = { ...env.yarn, launcher: "flink-cli", flinkHome: FAKE_FLINK_HOME, cliEnv: { FLINK_FAKE_RM_URL: env.emu.rmUrls[0], FLINK_FAKE_USER: "etl" } };
  clients = createLaunchClients({ http: { retry: { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 1 } } });
  launcher = createFlinkCliLauncher({ clients, timeoutMs: 20_000 });
});
afterAll(async () => {
  await clients.close();
  await env.emu.stop();
});

/** The CLI waits for the AM like the real one; emulated time has to move meanwhile. */
async function whileTimeMoves<T>(work: Promise<T>): Promise<T> {
  const ticker = setInterval(() => void env.emu.control.advance(50), 25);
  try {
    return await work;
  } finally {
    clearInterval(ticker);
  }
}

describe("flink-cli launcher with the fake Flink CLI", () => {
  it("application mode: parses the application id; the job runs under the pre-assigned id and the tag", async () => {
    const run = makeRun("application", { artifact: { kind: "uri", uri: env.jarUri }, args: ["--topic", "orders"], parallelism: 2 });
    const input = { run, target, artifactPath: null };
    expect(await launcher.reserve(input)).toEqual({});
    const sub = await whileTimeMoves(launcher.submit(input));
    expect(sub).toEqual({ flinkJobId: run.flinkJobId, yarnApplicationId: expect.stringMatching(/^application_\d+_\d+$/) });
    expect(env.emu.control.app(sub.yarnApplicationId!)).toMatchObject({ tags: [run.yarn.tag], name: "orders", jobId: run.flinkJobId, state: "RUNNING" });
    expect(env.emu.control.job(run.flinkJobId)).toMatchObject({ entryClass: "com.acme.Orders", args: ["--topic", "orders"] });
  });

  it("per-job mode: parses both ids from the output", async () => {
    const run = makeRun("per-job", { entryClass: "com.acme.NightlyBatch", savepointPath: "hdfs:///sp/1", allowNonRestoredState: true });
    const sub = await whileTimeMoves(launcher.submit({ run, target, artifactPath: null }));
    expect(sub.flinkJobId).toBe(run.flinkJobId);
    expect(env.emu.control.app(sub.yarnApplicationId!)).toMatchObject({ jobId: run.flinkJobId, tags: [run.yarn.tag] });
  });

  it("a CLI crash after submitting, before printing: find() locates the application by tag", async () => {
    const run = makeRun("application");
    const crashing = { ...target, cliEnv: { ...target.cliEnv, FLINK_FAKE_CRASH_AFTER_SUBMIT: "1" } };
    const input = { run, target: crashing, artifactPath: null };
    const err = await launcher.submit(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlinkCliError);
    expect(err).toMatchObject({ exitCode: null, timedOut: false, outputTail: expect.stringContaining("Submitting application master application_") });
    const found = await launcher.find(input);
    expect(found).toMatchObject({ found: true, yarnApplicationId: expect.stringMatching(/^application_/) });
    expect(await launcher.find({ ...input, run: makeRun("application") })).toEqual({ found: false });
  });

  it("a rejected command exits non-zero: a typed error carrying the output tail", async () => {
    const run = makeRun("application", { artifact: { kind: "uri", uri: "file:///nowhere/orders.jar" } });
    const err = await launcher.submit({ run, target, artifactPath: null }).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: "flink-cli-failed", exitCode: 1, outputTail: expect.stringContaining("JAR file does not exist: /nowhere/orders.jar") });
  });

  it("kills a CLI that does not finish in time", async () => {
    const slow = createFlinkCliLauncher({ clients, timeoutMs: 3_000 });
    // Emulated time stands still, so the CLI waits for RUNNING forever.
    const err = await slow.submit({ run: makeRun("application"), target, artifactPath: null }).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: "flink-cli-failed", timedOut: true, outputTail: expect.stringContaining("Deploying cluster, current state ACCEPTED") });
  });
});

describe("flink CLI command line and output", () => {
  it("builds the flags the real CLI takes", () => {
    const run = makeRun("per-job", { parallelism: 4, savepointPath: "hdfs:///sp", allowNonRestoredState: true, args: ["a b"] });
    const args = flinkCliArgs(run, { ...target, flinkConfig: {} }, "hdfs:///jobs/orders.jar");
    expect(args.slice(0, 4)).toEqual(["run", "-t", "yarn-per-job", "--detached"]);
    expect(args).toContain(`-D$internal.pipeline.job-id=${run.flinkJobId}`);
    expect(args).toContain(`-Dyarn.tags=${run.yarn.tag}`);
    expect(args).toContain("-Dyarn.application.queue=default");
    expect(args.slice(-9)).toEqual(["-p", "4", "-s", "hdfs:///sp", "--allowNonRestoredState", "-c", "com.acme.Orders", "hdfs:///jobs/orders.jar", "a b"]);
  });

  it("finds the ids in real CLI output", () => {
    const output = [
      "2024-01-15 10:30:16,456 INFO  org.apache.flink.yarn.YarnClusterDescriptor - Submitting application master application_1642234567890_0001",
      "2024-01-15 10:30:16,470 INFO  org.apache.hadoop.yarn.client.api.impl.YarnClientImpl - Submitted application application_1642234567890_0001",
      "Job has been submitted with JobID 8d6b6bd4ef0d7b8a1f7c3e0f1bb2a111",
    ].join("\n");
    expect(parseFlinkCliOutput(output)).toEqual({ applicationId: "application_1642234567890_0001", jobId: "8d6b6bd4ef0d7b8a1f7c3e0f1bb2a111" });
    expect(parseFlinkCliOutput("Found Web Interface host:1234 of application 'application_1_0002'.")).toEqual({ applicationId: "application_1_0002" });
  });
});
