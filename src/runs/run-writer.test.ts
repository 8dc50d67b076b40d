import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase, testDatabaseUrl } from "../../test/helpers/database.ts";
import { ManualClock } from "../../test/helpers/gateway.ts";
import { insertRunRow } from "../../test/helpers/run-rows.ts";
import { listEvents } from "../store/event-repository.ts";
import { targetSchema } from "../domain/target.ts";
import { makeRun } from "../launch/launch-test-support.ts";
import { findRun } from "../store/run-repository.ts";
import { insertTarget } from "../store/target-repository.ts";
import { createRunWriter, type Transition } from "./run-writer.ts";

let database: TestDatabase;
const clock = new ManualClock();
let transitions: Transition[];
// The event carries the run resource, which shows the artifact.
const SPEC = JSON.stringify({ artifact: { kind: "uri", uri: "file:///job.jar" }, entryClass: null, args: [], parallelism: null, flinkConfig: {}, savepointPath: null });

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.dispose());
beforeEach(async () => {
  await database.reset();
  transitions = [];
  for (const id of ["run_a", "run_b", "run_c"]) await insertRunRow(database.db, { id, target: "t", state: "RUNNING", flink_state: "RUNNING", spec: SPEC });
});

const writer = () => createRunWriter({ db: database.db, clock, onTransition: (t) => transitions.push(t) });
const events = () => listEvents(database.db, { afterSeq: 0, limit: 100 });

describe("changeMany", () => {
  it("applies every change whose run is still in a `from` state, one event each, in the given order", async () => {
    const written = await writer().changeMany([
      { runId: "run_c", from: ["RUNNING"], patch: { state: "FINISHED", flinkState: "FINISHED" }, source: "flink" },
      { runId: "run_a", from: ["RUNNING"], patch: { flinkState: "RESTARTING", restarts: 1 }, source: "flink" },
      { runId: "run_b", from: ["RUNNING"], patch: { state: "FAILED" }, source: "yarn" },
    ]);

    expect(written.map((r) => [r?.id, r?.state])).toEqual([["run_c", "FINISHED"], ["run_a", "RUNNING"], ["run_b", "FAILED"]]);
    const log = await events();
    expect(log.map((e) => [e.runId, e.type])).toEqual([
      ["run_c", "run.state_changed"],
      ["run_a", "run.updated"],
      ["run_b", "run.state_changed"],
    ]);
    expect(log[0]?.data).toMatchObject({ id: "run_c", state: "FINISHED", flinkState: "FINISHED", from: "RUNNING", to: "FINISHED", source: "flink" });
    expect(log[1]?.data).toMatchObject({ id: "run_a", flinkState: "RESTARTING", restarts: 1, source: "flink" });
    expect(log[1]?.data).not.toHaveProperty("from");
    expect(transitions.map((t) => [t.run.id, t.from, t.to, t.source])).toEqual([["run_c", "RUNNING", "FINISHED", "flink"], ["run_b", "RUNNING", "FAILED", "yarn"]]);
  });

  it("skips a change whose run moved on (or is gone): no write, no event, no transition", async () => {
    await database.db.updateTable("runs").set({ state: "CANCELLING" }).where("id", "=", "run_b").execute();
    const written = await writer().changeMany([
      { runId: "run_a", from: ["RUNNING"], patch: { state: "FINISHED" }, source: "flink" },
      { runId: "run_b", from: ["RUNNING"], patch: { state: "FAILED" }, source: "flink" },
      { runId: "run_gone", from: ["RUNNING"], patch: { state: "FAILED" }, source: "flink" },
    ]);

    expect(written.map((r) => r?.id)).toEqual(["run_a", undefined, undefined]);
    expect((await findRun(database.db, "run_b"))?.state).toBe("CANCELLING");
    expect((await events()).map((e) => e.runId)).toEqual(["run_a"]);
    expect(transitions.map((t) => t.run.id)).toEqual(["run_a"]);
  });

  it("guards a second change to the same run by the state the first one left", async () => {
    const written = await writer().changeMany([
      { runId: "run_a", from: ["RUNNING"], patch: { state: "CANCELLING" }, source: "api" },
      { runId: "run_a", from: ["RUNNING"], patch: { state: "FAILED" }, source: "flink" },
      { runId: "run_a", from: ["CANCELLING"], patch: { state: "CANCELED" }, source: "flink" },
    ]);

    expect(written.map((r) => r?.state)).toEqual(["CANCELLING", undefined, "CANCELED"]);
    expect((await events()).map((e) => [e.data.from, e.data.to])).toEqual([["RUNNING", "CANCELLING"], ["CANCELLING", "CANCELED"]]);
  });

  it("writes changes that set the same columns in one statement, each run its own values, every column type kept", async () => {
    const at = (s: number) => new Date(Date.UTC(2026, 10, 21, 12, 0, s));
    const patch = (n: number) => ({
      state: "FAILED" as const,
      flinkState: `FAILED-${n}`,
      restarts: n,
      lastCheckpoint: { id: n, completedAt: at(n).toISOString(), path: `hdfs:///cp/${n}` },
      plan: { jid: `plan-${n}`, nodes: [{ id: `v${n}` }] },
      endedAt: at(n),
      unseenSince: null,
      failureCause: n === 2 ? null : `cause ${n}`,
    });
    const written = await writer().changeMany([
      { runId: "run_b", from: ["RUNNING"], patch: patch(2), source: "flink" },
      { runId: "run_a", from: ["RUNNING"], patch: patch(1), source: "flink" },
      { runId: "run_c", from: ["FINISHED"], patch: patch(3), source: "flink" },
    ]);

    expect(written.map((r) => r?.id)).toEqual(["run_b", "run_a", undefined]);
    for (const n of [1, 2]) {
      const run = await findRun(database.db, n === 1 ? "run_a" : "run_b");
      const { plan, ...rest } = patch(n);
      expect(run).toMatchObject({ ...rest, failureCause: n === 2 ? null : `cause ${n}` });
      expect(written[n === 1 ? 1 : 0]).toMatchObject({ restarts: n, endedAt: at(n), lastCheckpoint: rest.lastCheckpoint });
      const stored = await database.db.selectFrom("runs").select("plan").where("id", "=", run!.id).executeTakeFirstOrThrow();
      expect(stored.plan).toEqual(plan);
    }
    expect((await findRun(database.db, "run_c"))?.state).toBe("RUNNING");
    expect((await events()).map((e) => [e.runId, e.data.to])).toEqual([["run_b", "FAILED"], ["run_a", "FAILED"]]);
  });

  it("applies changes that set different columns together: a column a change does not set keeps its value, null is a value", async () => {
    const checkpoint = { id: 7, completedAt: "2026-11-21T12:00:07.000Z", path: "hdfs:///cp/7" };
    await database.db.updateTable("runs").set({ restarts: 3, failure_cause: "earlier", last_checkpoint: JSON.stringify(checkpoint) }).execute();
    await database.db.updateTable("runs").set({ state: "CANCELLING" }).where("id", "=", "run_c").execute();
    const written = await writer().changeMany([
      { runId: "run_a", from: ["RUNNING"], patch: { flinkState: "RESTARTING", restarts: 4 }, source: "flink" },
      { runId: "run_b", from: ["RUNNING"], patch: { failureCause: null, lastCheckpoint: null }, source: "monitor" },
      { runId: "run_c", from: ["RUNNING", "CANCELLING"], patch: { state: "CANCELED", endedAt: new Date("2026-11-21T12:01:00Z") }, source: "flink" },
    ]);

    expect(written.map((r) => r?.id)).toEqual(["run_a", "run_b", "run_c"]);
    expect(await findRun(database.db, "run_a")).toMatchObject({ state: "RUNNING", flinkState: "RESTARTING", restarts: 4, failureCause: "earlier", lastCheckpoint: checkpoint });
    expect(await findRun(database.db, "run_b")).toMatchObject({ state: "RUNNING", flinkState: "RUNNING", restarts: 3, failureCause: null, lastCheckpoint: null });
    expect(await findRun(database.db, "run_c")).toMatchObject({ state: "CANCELED", flinkState: "RUNNING", restarts: 3, failureCause: "earlier", endedAt: new Date("2026-11-21T12:01:00Z") });
    expect((await events()).map((e) => [e.runId, e.type, e.data.from])).toEqual([
      ["run_a", "run.updated", undefined],
      ["run_b", "run.updated", undefined],
      ["run_c", "run.state_changed", "CANCELLING"],
    ]);
    expect(transitions.map((t) => [t.run.id, t.from, t.to])).toEqual([["run_c", "CANCELLING", "CANCELED"]]);
  });

  it("writes nothing for an empty batch, and change() is its single-item case", async () => {
    expect(await writer().changeMany([])).toEqual([]);
    expect(await writer().change("run_a", ["FINISHED"], { state: "FAILED" }, "flink")).toBeUndefined();
    expect((await writer().change("run_a", ["RUNNING"], { state: "FAILED" }, "flink"))?.state).toBe("FAILED");
    expect((await events()).map((e) => e.type)).toEqual(["run.state_changed"]);
  });
});

describe("create", () => {
  const newRun = () => makeRun("session", {}, { state: "PENDING", jobName: null, jobVersion: null });
  const addTarget = () => insertTarget(database.db, targetSchema.parse({ name: "t", kind: "session", restUrl: "http://jm:8081" }), clock.now());

  it("stores the run with its run.created event while its target exists, and nothing once it is gone", async () => {
    await addTarget();
    const run = newRun();
    expect((await writer().create(run, null))?.id).toBe(run.id);
    expect((await events()).map((e) => [e.runId, e.type])).toEqual([[run.id, "run.created"]]);

    await database.db.deleteFrom("targets").execute();
    const orphan = newRun();
    expect(await writer().create(orphan, null)).toBeUndefined();
    expect(await findRun(database.db, orphan.id)).toBeUndefined();
  });

  it.skipIf(!testDatabaseUrl())("a run created while a target delete holds the target waits, then finds it gone", async () => {
    await addTarget();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // What the target delete does: lock the row, count the active runs (none), delete.
    const deletion = database.db.transaction().execute(async (trx) => {
      await trx.selectFrom("targets").select("name").where("name", "=", "t").forUpdate().execute();
      locked();
      await gate;
      await trx.deleteFrom("targets").where("name", "=", "t").execute();
    });
    await isLocked;
    const run = newRun();
    const creating = writer().create(run, null);
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await deletion;
    expect(await creating).toBeUndefined();
    expect(await findRun(database.db, run.id)).toBeUndefined();
  });
});
