import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type EmulatedWorld, openEmulatedWorld } from "./helpers/emulated.ts";

let w: EmulatedWorld;
let artifactId: string;
beforeAll(async () => {
  w = await openEmulatedWorld();
});
afterAll(async () => w.close());
beforeEach(async () => {
  artifactId = await w.uploadJar();
});

async function defineJob(name: string, entryClass: string, args: string[] = []) {
  const response = await w.t.request("/v1/jobs", { method: "POST", json: { name, target: "session", mode: "session", artifact: { id: artifactId }, entryClass, args } });
  expect(response.status).toBe(201);
}

async function startRun(job: string, body: unknown = {}) {
  const response = await w.t.request(`/v1/jobs/${job}/runs`, { method: "POST", json: body });
  const run = await response.json();
  expect(response.status, JSON.stringify(run)).toBe(201);
  return run as { id: string; flinkJobId: string; state: string };
}

const getRun = async (id: string) => (await w.t.request(`/v1/runs/${id}`)).json();
const getOp = async (id: string) => (await w.t.request(`/v1/operations/${id}`)).json();

describe("session runs against the emulator", () => {
  it("runs a batch job to FINISHED with the pre-assigned job id, decided by the JobManager", async () => {
    await defineJob("batch-words", "com.acme.BatchWordCount", ["--emulator.runMs=300"]);
    const run = await startRun("batch-words");
    expect(run.state).toBe("DEPLOYING");
    expect(run.flinkJobId).toMatch(/^[0-9a-f]{32}$/);
    expect(w.emulator.control.job(run.flinkJobId)?.cluster).toBe("default");
    await w.step();
    expect((await getRun(run.id)).state).toBe("RUNNING");
    await w.step(1_000);
    const done = await getRun(run.id);
    expect(done).toMatchObject({ state: "FINISHED", flinkState: "FINISHED", finalStateSource: "flink" });
    expect(done.endedAt).not.toBeNull();
    const plan = await w.t.request(`/v1/runs/${run.id}/plan`);
    expect(plan.status).toBe(200);
    expect((await plan.json()).jid).toBe(run.flinkJobId);
  });

  it("uploads the jar once per cluster for several runs", async () => {
    await defineJob("twice", "com.acme.BatchTwice", ["--emulator.runMs=100"]);
    const a = await startRun("twice");
    const b = await startRun("twice");
    const jars = await w.t.database.db.selectFrom("session_jars").selectAll().execute();
    expect(jars.filter((j) => j.target === "session")).toHaveLength(1);
    expect(a.flinkJobId).not.toBe(b.flinkJobId);
  });

  it("savepoints a streaming job, stops it with a savepoint, and starts again from it", async () => {
    await defineJob("stream", "com.acme.StreamingOrders");
    const run = await startRun("stream");
    await w.step();
    expect((await getRun(run.id)).state).toBe("RUNNING");

    const savepoint = await w.t.request(`/v1/runs/${run.id}/savepoints`, { method: "POST", json: { targetDirectory: "file:///tmp/sp" } });
    expect(savepoint.status).toBe(202);
    const op = await savepoint.json();
    expect(op).toMatchObject({ kind: "savepoint", state: "RUNNING" });
    await w.step(2_000);
    const taken = await getOp(op.id);
    expect(taken.state).toBe("SUCCEEDED");
    expect(taken.location).toContain("file:///tmp/sp");
    expect((await getRun(run.id)).lastSavepoint).toBe(taken.location);

    const stop = await (await w.t.request(`/v1/runs/${run.id}/stop`, { method: "POST", json: { targetDirectory: "file:///tmp/sp", drain: true } })).json();
    await w.step(2_000);
    await w.step(0);
    const stopped = await getOp(stop.id);
    expect(stopped.state).toBe("SUCCEEDED");
    const ended = await getRun(run.id);
    expect(ended.state).toBe("FINISHED");
    expect(ended.lastSavepoint).toBe(stopped.location);

    const again = await startRun("stream", { fromRun: run.id });
    expect((await getRun(again.id)).savepointPath).toBe(stopped.location);
  });

  it("cancels a streaming job: CANCELLING, then CANCELED, and the operation succeeds", async () => {
    await defineJob("to-cancel", "com.acme.StreamingClicks");
    const run = await startRun("to-cancel");
    await w.step();
    const cancel = await w.t.request(`/v1/runs/${run.id}/cancel`, { method: "POST" });
    expect(cancel.status).toBe(202);
    const op = await cancel.json();
    expect((await getRun(run.id)).state).toBe("CANCELLING");
    await w.step(2_000);
    await w.step(0);
    expect((await getRun(run.id)).state).toBe("CANCELED");
    expect((await getOp(op.id)).state).toBe("SUCCEEDED");
    const again = await w.t.request(`/v1/runs/${run.id}/cancel`, { method: "POST" });
    expect(again.status).toBe(409);
  });

  it("stores a program Flink rejects as FAILED with Flink's message, and answers with a problem", async () => {
    await defineJob("broken", "com.acme.Broken", ["--emulator.nosuchfield=1"]);
    const response = await w.t.request("/v1/jobs/broken/runs", { method: "POST", json: {} });
    expect(response.status).toBe(422);
    const problem = await response.json();
    expect(problem.runId).toMatch(/^run_/);
    const stored = await getRun(problem.runId);
    expect(stored.state).toBe("FAILED");
    expect(stored.failureCause).toBeTruthy();
  });

  it("stores an unreachable target's run as FAILED and answers 502", async () => {
    const created = await w.t.request("/v1/targets", { method: "POST", json: { name: "nowhere", kind: "session", restUrl: "http://127.0.0.1:9" } });
    expect(created.status).toBe(201);
    const response = await w.t.request("/v1/runs", {
      method: "POST",
      json: { job: { target: "nowhere", mode: "session", artifact: { id: artifactId }, entryClass: "com.acme.BatchX" } },
    });
    expect(response.status).toBe(502);
    const problem = await response.json();
    expect((await getRun(problem.runId)).state).toBe("FAILED");
  });

  it("keeps the restart count and the last checkpoint on the run", async () => {
    await defineJob("restarting", "com.acme.StreamingRestarts", ["--emulator.checkpointing=true", "--emulator.checkpointIntervalMs=500"]);
    const run = await startRun("restarting");
    await w.step();
    await w.step(2_000);
    w.emulator.control.restartJob(run.flinkJobId, "java.io.IOException: lost a TaskManager");
    await w.step();
    const restarting = await getRun(run.id);
    expect(restarting).toMatchObject({ state: "RUNNING", flinkState: "RESTARTING", restarts: 1 });
    expect(restarting.lastCheckpoint).toMatchObject({ id: expect.any(Number), completedAt: expect.any(String) });
    await w.step(5_000);
    expect(await getRun(run.id)).toMatchObject({ state: "RUNNING", flinkState: "RUNNING", restarts: 1 });
  });

  it("records every change as an ordered event", async () => {
    await defineJob("evented", "com.acme.BatchEvents", ["--emulator.runMs=100"]);
    const run = await startRun("evented");
    await w.step();
    await w.step(1_000);
    const events: Array<{ seq: number; type: string; data: Record<string, unknown> }> = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = await (await w.t.request(`/v1/runs/${run.id}/events${query}`)).json();
      events.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const transitions = events.filter((e) => e.type === "run.state_changed").map((e) => `${e.data.from}->${e.data.to}`);
    expect(transitions).toEqual(["PENDING->SUBMITTING", "SUBMITTING->DEPLOYING", "DEPLOYING->RUNNING", "RUNNING->FINISHED"]);
    expect(events[0]?.type).toBe("run.created");
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
    const last = events.at(-1)?.data as Record<string, unknown>;
    expect(last).toMatchObject({ id: run.id, state: "FINISHED", from: "RUNNING", to: "FINISHED", source: "flink" });
  });
});
