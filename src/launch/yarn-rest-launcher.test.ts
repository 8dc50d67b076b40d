import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpstreamError } from "../domain/errors.ts";
import { createLaunchClients } from "./launch-clients.ts";
import type { LaunchClients } from "./launch-clients.ts";
import type { Launcher } from "./launcher.ts";
import { fixedStat, makeRun, startLaunchEmulator } from "./launch-test-support.ts";
import type { LaunchEmulator } from "./launch-test-support.ts";
import { createYarnRestLauncher } from "./yarn-rest-launcher.ts";

let env: LaunchEmulator;
let clients: LaunchClients;
let launcher: Launcher;

beforeAll(async () => {
  env = await startLaunchEmulator();
  clients = createLaunchClients({ http: { retry: { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 1 } } });
  launcher = createYarnRestLauncher({ clients, stat: fixedStat });
});
afterAll(async () => {
  await clients.close();
  await env.emu.stop();
});

async function launch(spec: Parameters<typeof makeRun>[1]) {
  const run = makeRun("application", spec);
  const input = { run, target: env.yarn, artifactPath: null };
  const { yarnApplicationId } = await launcher.reserve(input);
  run.yarn.applicationId = yarnApplicationId ?? null;
  const submission = await launcher.submit(input);
  return { run, input, submission };
}

describe("yarn-rest launcher (application mode)", () => {
  it("reserves the application id, then deploys the job under the pre-assigned job id and the run's tag", async () => {
    const { run, submission } = await launch({ entryClass: "com.acme.Orders", args: ["--topic", "orders; eu"], parallelism: 3 });
    expect(submission).toEqual({ flinkJobId: run.flinkJobId, yarnApplicationId: run.yarn.applicationId });
    await env.emu.control.advance(200);
    const app = env.emu.control.app(run.yarn.applicationId!);
    expect(app).toMatchObject({ type: "Apache Flink", name: "orders", tags: [run.yarn.tag], state: "RUNNING", jobId: run.flinkJobId });
    expect(env.emu.control.job(run.flinkJobId)).toMatchObject({ entryClass: "com.acme.Orders", args: ["--topic", "orders; eu"], state: "RUNNING" });
    const { app: rmApp } = await clients.yarn(env.yarn).getApp(run.yarn.applicationId!);
    expect(rmApp.queue).toBe("default");
    // The RM's own report of the AM container's memory (a field the client does not keep).
    const report = (await (await fetch(`${env.emu.rmUrls[0]}/ws/v1/cluster/apps/${run.yarn.applicationId}`)).json()) as { app: { allocatedMB: number } };
    expect(report.app.allocatedMB).toBe(1600);
  });

  it("runs a batch job to the end: the application finishes SUCCEEDED", async () => {
    const { run } = await launch({ entryClass: "com.acme.NightlyBatch" });
    await env.emu.control.advance(200);
    expect(env.emu.control.job(run.flinkJobId)?.state).toBe("RUNNING");
    await env.emu.control.advance(1_200);
    expect(env.emu.control.app(run.yarn.applicationId!)).toMatchObject({ state: "FINISHED", finalStatus: "SUCCEEDED" });
  });

  it("carries config with target < job < flinkgate precedence as the AM's dynamic properties", async () => {
    const { run } = await launch({
      flinkConfig: { "taskmanager.numberOfTaskSlots": "4", "yarn.tags": "team-a", "$internal.pipeline.job-id": "f".repeat(32) },
      savepointPath: "hdfs:///savepoints/sp-1",
      allowNonRestoredState: true,
      restoreMode: "NO_CLAIM",
    });
    const { app } = await clients.yarn(env.yarn).getApp(run.yarn.applicationId!);
    expect(app.tags.sort()).toEqual([run.yarn.tag, "team-a"].sort());
    await env.emu.control.advance(200);
    expect(env.emu.control.app(run.yarn.applicationId!)?.jobId).toBe(run.flinkJobId);
  });

  it("refuses a stored artifact with an explanation, before reserving anything on the RM", async () => {
    const run = makeRun("application", { artifact: { kind: "stored", id: "art_9", sha256: "b".repeat(64), fileName: "x.jar", sizeBytes: 1 } });
    run.yarn.applicationId = "application_1_0001";
    const err = await launcher.submit({ run, target: env.yarn, artifactPath: "/tmp/x.jar" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 422, type: "artifact-unusable-for-target", message: expect.stringContaining("hdfs://") });
  });

  it("surfaces the RM's refusal of the submission as a rejected UpstreamError", async () => {
    const big = { ...env.yarn, jobManagerMemoryMb: 64_000 };
    const run = makeRun("application");
    const input = { run, target: big, artifactPath: null };
    run.yarn.applicationId = (await launcher.reserve(input)).yarnApplicationId ?? null;
    await expect(launcher.submit(input)).rejects.toMatchObject({ failure: "rejected", upstreamMessage: expect.stringContaining("more memory than configured max") });
  });

  it("find(): by the stored application id, else by tag; not found; throws on a transport fault", async () => {
    const { run, input } = await launch({});
    expect(await launcher.find(input)).toMatchObject({ found: true, yarnApplicationId: run.yarn.applicationId, yarnState: "ACCEPTED" });

    // Crash after submit, before the id was stored: the tag finds the application.
    const lost = { ...input, run: { ...run, yarn: { ...run.yarn, applicationId: null } } };
    expect(await launcher.find(lost)).toMatchObject({ found: true, yarnApplicationId: run.yarn.applicationId });

    // Crash after reserve, before submit: the RM does not know the id, nothing carries the tag.
    const never = makeRun("application");
    never.yarn.applicationId = (await launcher.reserve({ ...input, run: never })).yarnApplicationId ?? null;
    expect(await launcher.find({ ...input, run: never })).toEqual({ found: false });

    env.emu.control.setFault("rm", { status: 500, times: 2 });
    const err = await launcher.find(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).isTransport).toBe(true);
    env.emu.control.clearFaults();
  });
});
