import { expect, it } from "vitest";
import type { EmulatedWorld } from "./emulated.ts";
import { type RunApi, type RunBody, runApi } from "./run-api.ts";

/** Long enough that a batch job started through the Flink CLI (time moves while it waits) is still running when the CLI returns. */
const BATCH_MS = 20_000;
const BATCH = `--emulator.runMs=${BATCH_MS}`;

export interface YarnRunScenarios {
  /** Prefix of the job names, unique per call. */
  prefix: string;
  mode: "application" | "per-job";
  world: () => EmulatedWorld;
  /** A YARN target with the History Server (lag 0), and the same cluster without one. */
  targets: { withHistory: string; withoutHistory: string };
  /** How a run is started on this path (the Flink CLI needs emulated time to move meanwhile). */
  start?: (api: RunApi, job: string, body?: unknown) => Promise<RunBody>;
}

/**
 * The life of YARN runs through the API only, against the emulator: the
 * same cases for every submission path (yarn-rest, flink-cli) and mode.
 */
export function yarnRunScenarios(o: YarnRunScenarios): void {
  const p = o.prefix;
  const api = () => runApi(o.world());
  const start = (job: string, body?: unknown) => (o.start ? o.start(api(), job, body) : api().startRun(job, body));

  async function defineAndStart(name: string, target: string, entryClass: string, args: string[] = []) {
    await api().defineJob({ name: `${p}-${name}`, target, mode: o.mode, entryClass, args });
    const run = await start(`${p}-${name}`);
    expect(run.yarn.applicationId, JSON.stringify(run)).toMatch(/^application_\d+_\d+$/);
    const app = o.world().emulator.control.app(run.yarn.applicationId!);
    expect(app?.tags).toEqual([run.yarn.tag]);
    return { run, appId: run.yarn.applicationId! };
  }

  /**
   * Watches a batch run start, then lets its job and its cluster both end
   * between two monitor ticks (no tick sees the JobManager's own final
   * state), and steps on until the run is in `state`.
   */
  async function endUnseen(runId: string, state: string) {
    await api().stepUntil(runId, "RUNNING", 200);
    await o.world().step(BATCH_MS + 5_000);
    return api().stepUntil(runId, state, 1_000);
  }

  it("runs a batch job to FINISHED after its cluster is gone, decided by the History Server", async () => {
    const { run, appId } = await defineAndStart("batch", o.targets.withHistory, "com.acme.BatchWordCount", [BATCH]);
    expect(run.state).toBe("DEPLOYING");
    await api().stepUntil(run.id, "RUNNING", 200);
    expect(o.world().emulator.control.app(appId)?.jobId).toBe(run.flinkJobId);
    const done = await endUnseen(run.id, "FINISHED");
    expect(o.world().emulator.control.app(appId)).toMatchObject({ state: "FINISHED", finalStatus: "SUCCEEDED", amRpcAddress: expect.any(String) });
    expect(done).toMatchObject({ flinkState: "FINISHED", finalStateSource: "history-server", yarn: { applicationId: appId, state: "FINISHED", finalStatus: "SUCCEEDED" } });
    expect(done.endedAt).not.toBeNull();
    const plan = await o.world().t.request(`/v1/runs/${run.id}/plan`);
    expect(plan.status).toBe(200);
  });

  it("decides a batch job's end from YARN when the History Server lags or is not configured", async () => {
    const w = o.world();
    await w.emulator.control.setHistoryLag(3_600_000);
    try {
      const { run } = await defineAndStart("batch-lag", o.targets.withHistory, "com.acme.BatchLagged", [BATCH]);
      const done = await endUnseen(run.id, "FINISHED");
      expect(done).toMatchObject({ finalStateSource: "yarn", yarn: { state: "FINISHED", finalStatus: "SUCCEEDED" } });
    } finally {
      w.emulator.control.setHistoryLag(0);
    }
    const { run } = await defineAndStart("batch-nohs", o.targets.withoutHistory, "com.acme.BatchNoHistory", [BATCH]);
    const done = await endUnseen(run.id, "FINISHED");
    expect(done).toMatchObject({ finalStateSource: "yarn", yarn: { state: "FINISHED", finalStatus: "SUCCEEDED" } });
    // No archive to take it from: the plan was read through the RM proxy while the job ran.
    const plan = await w.t.request(`/v1/runs/${run.id}/plan`);
    expect(plan.status).toBe(200);
    expect((await plan.json()).jid).toBe(run.flinkJobId);
  });

  it("a failing batch job is FAILED with the History Server's cause, or YARN's diagnostics without one", async () => {
    const cause = "--emulator.failureMessage=java.lang.IllegalStateException: bad record at offset 42";
    const withHs = await defineAndStart("fail-hs", o.targets.withHistory, "com.acme.FailingImport", [BATCH, cause]);
    const failed = await endUnseen(withHs.run.id, "FAILED");
    expect(failed).toMatchObject({ finalStateSource: "history-server", yarn: { state: "FINISHED", finalStatus: "FAILED" } });
    expect(failed.failureCause).toContain("bad record at offset 42");

    const without = await defineAndStart("fail-nohs", o.targets.withoutHistory, "com.acme.FailingImport", [BATCH, cause]);
    const failedToo = await endUnseen(without.run.id, "FAILED");
    expect(failedToo).toMatchObject({ finalStateSource: "yarn", yarn: { finalStatus: "FAILED" } });
    expect(failedToo.yarn.diagnostics).toContain("bad record at offset 42");
    expect(failedToo.failureCause).toBe(failedToo.yarn.diagnostics);
  });

  it("savepoints a streaming job, stops it with a savepoint, starts again from it, and cancels that", async () => {
    const w = o.world();
    const { run, appId } = await defineAndStart("stream", o.targets.withHistory, "com.acme.StreamingOrders");
    await api().stepUntil(run.id, "RUNNING", 200);
    // A steady run's last checkpoint is read through the RM proxy every 10 × MONITOR_STEADY_EVERY (6) ticks;
    // the job completes its first checkpoint (every 10 s) before that read comes round.
    await w.step(15_000);
    let steady = await api().getRun(run.id);
    for (let tick = 0; tick < 61 && !steady.lastCheckpoint; tick++) {
      await w.step();
      steady = await api().getRun(run.id);
    }
    expect(steady.lastCheckpoint).toMatchObject({ id: expect.any(Number), completedAt: expect.any(String) });

    const savepoint = await w.t.request(`/v1/runs/${run.id}/savepoints`, { method: "POST", json: { targetDirectory: "hdfs:///sp" } });
    expect(savepoint.status).toBe(202);
    const op = await savepoint.json();
    const taken = await stepUntilOp(w, op.id);
    expect(taken.location).toContain("hdfs:///sp");
    expect((await api().getRun(run.id)).lastSavepoint).toBe(taken.location);

    const stop = await w.t.request(`/v1/runs/${run.id}/stop`, { method: "POST", json: { targetDirectory: "hdfs:///sp" } });
    expect(stop.status).toBe(202);
    const stopped = await stepUntilOp(w, (await stop.json()).id);
    expect(stopped.location).toContain("hdfs:///sp");
    expect(stopped.location).not.toBe(taken.location);
    const ended = await api().stepUntil(run.id, "FINISHED", 1_000);
    expect(ended).toMatchObject({ lastSavepoint: stopped.location, yarn: { finalStatus: "SUCCEEDED" } });
    expect(w.emulator.control.app(appId)?.state).toBe("FINISHED");

    const again = await start(`${p}-stream`, { fromRun: run.id });
    expect(again.savepointPath).toBe(stopped.location);
    expect(again.yarn.applicationId).not.toBe(appId);
    await api().stepUntil(again.id, "RUNNING", 200);
    const cancel = await w.t.request(`/v1/runs/${again.id}/cancel`, { method: "POST" });
    expect(cancel.status).toBe(202);
    const cancelOp = await cancel.json();
    expect((await api().getRun(again.id)).state).toBe("CANCELLING");
    const canceled = await api().stepUntil(again.id, "CANCELED", 1_000);
    expect(canceled.yarn.finalStatus).toBe("KILLED");
    expect((await api().getOp(cancelOp.id)).state).toBe("SUCCEEDED");
  });

  it("cancels through the RM (kills the application) when the JobManager cannot be reached", async () => {
    const w = o.world();
    const { run, appId } = await defineAndStart("unreachable", o.targets.withHistory, "com.acme.StreamingClicks");
    await api().stepUntil(run.id, "RUNNING", 200);
    w.emulator.control.setFault(`am:${appId}`, { reset: true });
    try {
      const cancel = await w.t.request(`/v1/runs/${run.id}/cancel`, { method: "POST" });
      expect(cancel.status).toBe(202);
      const op = await cancel.json();
      const canceled = await api().stepUntil(run.id, "CANCELED", 1_000);
      expect(canceled).toMatchObject({ finalStateSource: "yarn", yarn: { state: "KILLED", finalStatus: "KILLED" } });
      expect(w.emulator.control.app(appId)).toMatchObject({ state: "KILLED" });
      expect((await api().getOp(op.id)).state).toBe("SUCCEEDED");
    } finally {
      w.emulator.control.clearFaults(`am:${appId}`);
    }
  });
}

async function stepUntilOp(w: EmulatedWorld, id: string, max = 20): Promise<{ state: string; location: string | null; failureCause: string | null }> {
  const read = async () => (await w.t.request(`/v1/operations/${id}`)).json();
  let op = await read();
  for (let i = 0; i < max && (op.state === "PENDING" || op.state === "RUNNING"); i++) {
    await w.step(1_000);
    op = await read();
  }
  expect(op.state, JSON.stringify(op)).toBe("SUCCEEDED");
  return op;
}
