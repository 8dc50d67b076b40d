import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Run } from "../domain/run.ts";
import { InMemoryJarCache } from "./jar-cache.ts";
import { createJobControl } from "./job-control.ts";
import { createLaunchClients } from "./launch-clients.ts";
import type { LaunchClients } from "./launch-clients.ts";
import type { JobControl, SavepointStatus } from "./launcher.ts";
import { fixedStat, makeRun, startLaunchEmulator } from "./launch-test-support.ts";
import type { LaunchEmulator } from "./launch-test-support.ts";
import { createSessionLauncher } from "./session-launcher.ts";
import { createYarnRestLauncher } from "./yarn-rest-launcher.ts";

let env: LaunchEmulator;
let clients: LaunchClients;
let control: JobControl;

beforeAll(async () => {
  env = await startLaunchEmulator();
  clients = createLaunchClients({ http: { retry: { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 1 }, timeoutMs: 2_000 } });
  control = createJobControl({ clients });
});
afterAll(async () => {
  await clients.close();
  await env.emu.stop();
});

async function sessionRun(): Promise<Run> {
  const run = makeRun("session", { artifact: { kind: "uri", uri: env.jarUri } });
  await createSessionLauncher({ clients, jarCache: new InMemoryJarCache() }).submit({ run, target: env.session, artifactPath: null });
  return run;
}

async function yarnRun(): Promise<Run> {
  const launcher = createYarnRestLauncher({ clients, stat: fixedStat });
  const run = makeRun("application");
  const input = { run, target: env.yarn, artifactPath: null };
  run.yarn.applicationId = (await launcher.reserve(input)).yarnApplicationId ?? null;
  await launcher.submit(input);
  await env.emu.control.advance(200);
  return run;
}

/** Polls the status, moving emulated time between polls, as the operations service would. */
async function follow(run: Run, target: Parameters<JobControl["savepointStatus"]>[1], triggerId: string): Promise<SavepointStatus> {
  for (let i = 0; i < 10; i++) {
    const status = await control.savepointStatus(run, target, triggerId);
    if (status.state !== "IN_PROGRESS") return status;
    await env.emu.control.advance(100);
  }
  return control.savepointStatus(run, target, triggerId);
}

describe("job control on a session cluster", () => {
  it("cancels through Flink", async () => {
    const run = await sessionRun();
    expect(await control.cancel(run, env.session)).toEqual({ via: "flink" });
    expect(env.emu.control.job(run.flinkJobId)?.state).toBe("CANCELED");
  });

  it("triggers a savepoint and follows it to its location; stop-with-savepoint (drain) finishes the job", async () => {
    const run = await sessionRun();
    const { triggerId } = await control.triggerSavepoint(run, env.session, { targetDirectory: "hdfs:///sp" });
    expect(await follow(run, env.session, triggerId)).toEqual({ state: "SUCCEEDED", location: expect.stringMatching(/^hdfs:\/\/\/sp\/savepoint-/) });
    expect(env.emu.control.job(run.flinkJobId)?.state).toBe("RUNNING");

    const stop = await control.stopWithSavepoint(run, env.session, { targetDirectory: "hdfs:///sp", drain: true });
    expect(await follow(run, env.session, stop.triggerId)).toMatchObject({ state: "SUCCEEDED" });
    expect(env.emu.control.job(run.flinkJobId)?.state).toBe("FINISHED");
  });

  it("reports a savepoint Flink could not take as FAILED with its cause, and a refused trigger as rejected", async () => {
    const run = makeRun("session", { artifact: { kind: "uri", uri: env.jarUri }, args: ["--emulator.savepointFailure=disk quota exceeded"] });
    await createSessionLauncher({ clients, jarCache: new InMemoryJarCache() }).submit({ run, target: env.session, artifactPath: null });
    const { triggerId } = await control.triggerSavepoint(run, env.session, { targetDirectory: "hdfs:///sp" });
    expect(await follow(run, env.session, triggerId)).toEqual({ state: "FAILED", failureCause: expect.stringContaining("disk quota exceeded") });
    // No target directory and none configured on the cluster: Flink answers 400.
    await expect(control.triggerSavepoint(run, env.session, { targetDirectory: null })).rejects.toMatchObject({
      failure: "rejected",
      upstreamMessage: expect.stringContaining("state.savepoints.dir"),
    });
  });
});

describe("job control on a YARN application cluster", () => {
  it("cancels through the JobManager's own address: the AM unregisters KILLED", async () => {
    const run = await yarnRun();
    expect(await control.cancel(run, env.yarn)).toEqual({ via: "flink" });
    await env.emu.control.advance(200);
    expect(env.emu.control.job(run.flinkJobId)?.state).toBe("CANCELED");
    expect(env.emu.control.app(run.yarn.applicationId!)).toMatchObject({ state: "FINISHED", finalStatus: "KILLED" });
    await expect(control.cancel(run, env.yarn)).rejects.toMatchObject({ status: 409, type: "run-already-ended" });
  });

  it("kills the application through the RM when the JobManager cannot be reached", async () => {
    const run = await yarnRun();
    env.emu.control.setFault(`am:${run.yarn.applicationId}`, { reset: true });
    try {
      expect(await control.cancel(run, env.yarn)).toEqual({ via: "yarn-kill" });
    } finally {
      env.emu.control.clearFaults();
    }
    expect(env.emu.control.app(run.yarn.applicationId!)).toMatchObject({ state: "KILLED", finalStatus: "KILLED" });
  });

  it("kills an application still waiting for its AM (ACCEPTED): Flink is not there to ask", async () => {
    const launcher = createYarnRestLauncher({ clients, stat: fixedStat });
    const run = makeRun("application");
    run.yarn.applicationId = (await launcher.reserve({ run, target: env.yarn, artifactPath: null })).yarnApplicationId ?? null;
    await launcher.submit({ run, target: env.yarn, artifactPath: null });
    expect(await control.cancel(run, env.yarn)).toEqual({ via: "yarn-kill" });
    expect(env.emu.control.app(run.yarn.applicationId!)).toMatchObject({ state: "KILLED", finalStatus: "KILLED" });
  });

  it("re-reads the AM address on every call: a new attempt on a new port is followed", async () => {
    const run = await yarnRun();
    const first = env.emu.control.app(run.yarn.applicationId!)?.amRpcAddress;
    env.emu.control.failAmAttempt(run.yarn.applicationId!);
    await env.emu.control.advance(200);
    expect(env.emu.control.app(run.yarn.applicationId!)?.amRpcAddress).not.toBe(first);
    const { triggerId } = await control.triggerSavepoint(run, env.yarn, { targetDirectory: null });
    expect(await follow(run, env.yarn, triggerId)).toEqual({ state: "SUCCEEDED", location: expect.stringMatching(/^hdfs:\/\/\/savepoints\//) });
  });

  it("stop-with-savepoint (drain): the cluster exits, and the result is read from the History Server's archive", async () => {
    const run = await yarnRun();
    const { triggerId } = await control.stopWithSavepoint(run, env.yarn, { targetDirectory: "hdfs:///sp/final", drain: true });
    await env.emu.control.advance(500);
    expect(env.emu.control.app(run.yarn.applicationId!)).toMatchObject({ state: "FINISHED", finalStatus: "SUCCEEDED" });
    expect(await control.savepointStatus(run, env.yarn, triggerId)).toEqual({ state: "SUCCEEDED", location: expect.stringMatching(/^hdfs:\/\/\/sp\/final\/savepoint-/) });
    // Without a History Server the outcome cannot be read: keep polling, the run's final state settles it.
    const { historyServerUrl: _hs, ...noHistory } = env.yarn;
    expect(await control.savepointStatus(run, noHistory, triggerId)).toEqual({ state: "IN_PROGRESS" });
  });
});
