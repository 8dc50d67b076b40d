import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Fault } from "../emulator/faults.ts";
import { type EmulatedWorld, openEmulatedWorld } from "./helpers/emulated.ts";

/**
 * The monitor under upstream faults (DESIGN.md "The false alarm", "The
 * vanished cluster"): runs on a session cluster and on YARN (application
 * mode, yarn-rest) live through 5xx storms, resets, timeouts, an RM
 * fail-over, proxy 404s, History Server lag and the RM forgetting
 * applications. Every state change is checked against the emulator's truth
 * when it is written; once the faults clear, every real end is detected.
 */

let w: EmulatedWorld;
beforeAll(async () => {
  w = await openEmulatedWorld({ UPSTREAM_TIMEOUT: "300ms", MONITOR_BACKOFF_MAX: "20s" });
  const created = await w.t.request("/v1/targets", {
    method: "POST",
    json: { name: "yarn-nohs", kind: "yarn", rmUrls: w.emulator.rmUrls, launcher: "yarn-rest", user: "flink", flinkVersion: "1.18.1", flinkDistUri: `file://${w.dataDir}/flink-dist.jar` },
  });
  expect(created.status).toBe(201);
}, 30_000);
afterAll(async () => w?.close());
afterEach(() => {
  // A failed test leaves no fault behind for the next one.
  w.emulator.control.clearFaults();
  w.emulator.control.setHistoryLag(0);
  w.emulator.control.setActiveRm("rm1");
});

const ALL_UPSTREAMS = ["session", "rm", "history", "proxy", "am"];
const TERMINAL = ["FINISHED", "FAILED", "CANCELED"];

interface Watched {
  id: string;
  target: string;
  flinkJobId: string;
  appId: string | null;
}

interface RunBody {
  id: string;
  state: string;
  flinkJobId: string;
  finalStateSource: string | null;
  failureCause: string | null;
  yarn: { applicationId: string | null; state: string | null; finalStatus: string | null } | null;
}

const watched: Watched[] = [];
let lastSeq = 0;
/** Runs whose job is, on purpose, unknown to every source the target has (RM forgot it, no archive shows it). */
const unknownEverywhere = new Set<string>();
/** Every `run.state_changed` checked so far, `run:from->to`. */
const transitions: string[] = [];

const getRun = async (id: string): Promise<RunBody> => (await w.t.request(`/v1/runs/${id}`)).json();

/** What the emulator says the job really is, in run-state terms. */
function truth(run: Watched): string {
  const { control } = w.emulator;
  if (run.appId) {
    const app = control.app(run.appId);
    if (!app && unknownEverywhere.has(run.id)) return "UNKNOWN";
    if (app && ["NEW", "NEW_SAVING", "SUBMITTED", "ACCEPTED"].includes(app.state)) return "DEPLOYING";
  }
  const job = control.job(run.flinkJobId);
  if (!job) return "DEPLOYING";
  if (["RUNNING", "RESTARTING", "FAILING", "RECONCILING"].includes(job.state)) return "RUNNING";
  if (["INITIALIZING", "CREATED"].includes(job.state)) return "DEPLOYING";
  return job.state;
}

/** Every state change written since the last check must match the truth now (emulated time does not move during a tick). */
async function checkTransitions(): Promise<void> {
  const events = await w.t.database.db.selectFrom("events").selectAll().where("seq", ">", String(lastSeq) as never).orderBy("seq").execute();
  for (const event of events) {
    lastSeq = Math.max(lastSeq, Number(event.seq));
    if (event.type !== "run.state_changed") continue;
    const run = watched.find((r) => r.id === event.run_id);
    if (!run) continue;
    const data = event.data as { from: string; to: string; finalStateSource: string | null };
    transitions.push(`${run.id}:${data.from}->${data.to}`);
    const real = truth(run);
    const what = `${run.target} run ${run.id} moved ${data.from} -> ${data.to} while the job is ${real}`;
    if (TERMINAL.includes(data.to) || data.to === "RUNNING") expect(real, what).toBe(data.to);
    if (data.to === "LOST") expect(real, what).toBe("UNKNOWN");
  }
  // And no stored run sits in a terminal state that is not its job's.
  for (const run of watched) {
    const stored = await getRun(run.id);
    if (TERMINAL.includes(stored.state)) expect(truth(run), `${run.id} stored ${stored.state}`).toBe(stored.state);
  }
}

async function step(ms = 0): Promise<void> {
  await w.step(ms);
  await checkTransitions();
}

async function start(name: string, target: string, entryClass: string, args: string[] = []): Promise<Watched> {
  const mode = target === "session" ? "session" : "application";
  const defined = await w.t.request("/v1/jobs", { method: "POST", json: { name, target, mode, artifact: { uri: w.jarUri }, entryClass, args } });
  expect(defined.status, await defined.clone().text()).toBe(201);
  const response = await w.t.request(`/v1/jobs/${name}/runs`, { method: "POST", json: {} });
  const body = (await response.json()) as RunBody;
  expect(response.status, JSON.stringify(body)).toBe(201);
  const run = { id: body.id, target, flinkJobId: body.flinkJobId, appId: body.yarn?.applicationId ?? null };
  if (target !== "session") expect(run.appId).toMatch(/^application_/);
  watched.push(run);
  return run;
}

async function stepUntil(runs: Watched[], done: (run: RunBody) => boolean, ms = 1_000, max = 30): Promise<RunBody[]> {
  let bodies = await Promise.all(runs.map((r) => getRun(r.id)));
  for (let i = 0; i < max && !bodies.every(done); i++) {
    await step(ms);
    bodies = await Promise.all(runs.map((r) => getRun(r.id)));
  }
  expect(bodies.filter((b) => !done(b)).map((b) => `${b.id}: ${b.state}`)).toEqual([]);
  return bodies;
}

const health = async (target: string) => w.t.database.db.selectFrom("target_health").selectAll().where("target", "=", target).executeTakeFirst();
const requests = (prefix: string) =>
  Object.entries(w.emulator.control.counters())
    .filter(([upstream]) => upstream.startsWith(prefix))
    .reduce((sum, [, count]) => sum + count.total, 0);

/** A streaming job, a batch job that finishes and one that fails, on each of the session and the YARN target. */
async function startMix(tag: string) {
  const mix = {
    sessionStream: await start(`${tag}-s-stream`, "session", "com.acme.StreamingOrders"),
    sessionBatch: await start(`${tag}-s-batch`, "session", "com.acme.BatchWordCount", ["--emulator.runMs=20000"]),
    sessionFail: await start(`${tag}-s-fail`, "session", "com.acme.FailingJob", ["--emulator.runMs=25000"]),
    yarnStream: await start(`${tag}-y-stream`, "yarn", "com.acme.StreamingClicks"),
    yarnBatch: await start(`${tag}-y-batch`, "yarn", "com.acme.BatchReport", ["--emulator.runMs=20000"]),
    yarnFail: await start(`${tag}-y-fail`, "yarn", "com.acme.FailingExport", ["--emulator.runMs=25000"]),
  };
  await stepUntil(Object.values(mix), (r) => r.state === "RUNNING", 200);
  return mix;
}

describe("the monitor under upstream faults", () => {
  const faults: Array<[string, Fault, RegExp]> = [
    ["a 5xx storm", { status: 503 }, /503/],
    ["connection resets", { reset: true }, /reset|socket|closed/i],
    ["timeouts", { hang: true }, /time/i],
  ];

  it.each(faults)("moves no run through %s, counts the errors, backs off, and detects every end once it clears", async (name, fault, message) => {
    const mix = await startMix(name.replace(/\W+/g, "-"));
    const before = { session: (await health("session"))?.error_count ?? 0, yarn: (await health("yarn"))?.error_count ?? 0 };
    for (const upstream of ALL_UPSTREAMS) w.emulator.control.setFault(upstream, fault);

    // Back-off: poll 5 s (one step), doubling from there, so the failing targets are due on steps 0, 2 and 6 only.
    const due = new Set([0, 2, 6]);
    let failed = 0;
    for (let i = 0; i <= 7; i++) {
      const asked = { session: requests("session:"), yarn: requests("rm:") };
      await step(4_000); // 32 s of emulated time: both batch jobs end meanwhile
      const session = requests("session:") - asked.session;
      const yarn = requests("rm:") - asked.yarn;
      if (due.has(i)) {
        failed += 1;
        expect(session, `step ${i}: session asked`).toBeGreaterThan(0);
        expect(yarn, `step ${i}: yarn asked`).toBeGreaterThan(0);
      } else {
        expect({ step: i, session, yarn }).toEqual({ step: i, session: 0, yarn: 0 });
      }
      for (const target of ["session", "yarn"]) {
        const row = await health(target);
        expect(row?.consecutive_failures, `${target} after step ${i}`).toBe(failed);
      }
    }
    for (const target of ["session", "yarn"] as const) {
      // As the API shows it.
      const { health: shown } = await (await w.t.request(`/v1/targets/${target}`)).json();
      expect(shown).toMatchObject({ consecutiveFailures: failed, errorCount: before[target] + failed, lastError: expect.stringMatching(message), leaseHolder: expect.any(String) });
      expect(Date.parse(shown.lastErrorAt)).toBeGreaterThan(Date.parse(shown.lastSuccessAt));
    }
    expect(w.emulator.control.job(mix.sessionBatch.flinkJobId)?.state).toBe("FINISHED");
    expect(w.emulator.control.app(mix.yarnBatch.appId!)?.finalStatus).toBe("SUCCEEDED");
    for (const run of Object.values(mix)) expect((await getRun(run.id)).state, run.id).toBe("RUNNING");

    w.emulator.control.clearFaults();
    const [sStream, sBatch, sFail, yStream, yBatch, yFail] = await stepUntil(Object.values(mix), (r) => r.state !== "RUNNING" || r.id === mix.sessionStream.id || r.id === mix.yarnStream.id, 5_000);
    expect(sStream?.state).toBe("RUNNING");
    expect(yStream?.state).toBe("RUNNING");
    expect(sBatch).toMatchObject({ state: "FINISHED", finalStateSource: "flink" });
    expect(sFail).toMatchObject({ state: "FAILED", finalStateSource: "flink" });
    expect(yBatch).toMatchObject({ state: "FINISHED", finalStateSource: "history-server", yarn: { finalStatus: "SUCCEEDED" } });
    expect(yFail).toMatchObject({ state: "FAILED", finalStateSource: "history-server", yarn: { finalStatus: "FAILED" } });
    expect(sFail?.failureCause).toBeTruthy();
    for (const target of ["session", "yarn"]) expect((await health(target))?.consecutive_failures).toBe(0);
  }, 45_000);

  it("moves no run on an RM fail-over or a proxy 404 for a live application, and sees the ends behind them", async () => {
    const stream = await start("failover-stream", "yarn", "com.acme.StreamingClicks");
    const batch = await start("failover-batch", "yarn", "com.acme.BatchReport", ["--emulator.runMs=10000"]);
    const failing = await start("failover-fail", "yarn", "com.acme.FailingExport", ["--emulator.runMs=12000"]);
    await stepUntil([stream, batch, failing], (r) => r.state === "RUNNING", 200);
    const errorsBefore = (await health("yarn"))?.error_count ?? 0;

    const rm2Before = requests("rm:rm2");
    expect(w.emulator.control.failover()).toBe("rm2");
    for (const run of [stream, batch, failing]) w.emulator.control.setProxyNotFound(run.appId!, true);
    for (let i = 0; i < 4; i++) {
      await step(2_000);
      for (const run of [stream, batch, failing]) expect((await getRun(run.id)).state).toBe("RUNNING");
    }
    // The standby's redirect is followed: a fail-over is no outage.
    expect((await health("yarn"))?.error_count).toBe(errorsBefore);
    expect(requests("rm:rm2")).toBeGreaterThan(rm2Before);

    const [s, b, f] = await stepUntil([stream, batch, failing], (r) => r.id === stream.id || r.state !== "RUNNING", 2_000);
    expect(s?.state).toBe("RUNNING");
    expect(b).toMatchObject({ state: "FINISHED", finalStateSource: "history-server" });
    expect(f).toMatchObject({ state: "FAILED", finalStateSource: "history-server" });
    w.emulator.control.setProxyNotFound(stream.appId!, false);

    // The AM container dies: YARN starts a second attempt, the job comes back; the run never ends meanwhile.
    w.emulator.control.failAmAttempt(stream.appId!);
    expect(w.emulator.control.app(stream.appId!)?.attempt).toBe(2);
    await step(0);
    expect(TERMINAL).not.toContain((await getRun(stream.id)).state);
    await stepUntil([stream], (r) => r.state === "RUNNING" && w.emulator.control.job(stream.flinkJobId)?.state === "RUNNING", 500);
  }, 20_000);

  it("decides from YARN while the History Server lags or is absent: a batch job whose cluster is gone is FINISHED", async () => {
    w.emulator.control.setHistoryLag(3_600_000);
    try {
      const runs = [
        await start("gone-batch-hs", "yarn", "com.acme.BatchGone", ["--emulator.runMs=3000"]),
        await start("gone-batch-nohs", "yarn-nohs", "com.acme.BatchGoneNoHistory", ["--emulator.runMs=3000"]),
        await start("gone-fail-hs", "yarn", "com.acme.FailingGone", ["--emulator.runMs=3000"]),
      ];
      await stepUntil(runs, (r) => r.state === "RUNNING", 200);
      // The RM is unreachable while the jobs end and their clusters shut down.
      w.emulator.control.setFault("rm", { status: 500 });
      await step(5_000);
      for (const run of runs) {
        expect(w.emulator.control.app(run.appId!)).toMatchObject({ state: "FINISHED" });
        expect((await getRun(run.id)).state).toBe("RUNNING");
      }
      w.emulator.control.clearFaults();
      const [hs, nohs, failed] = await stepUntil(runs, (r) => r.state !== "RUNNING", 1_000);
      expect(hs).toMatchObject({ state: "FINISHED", finalStateSource: "yarn", yarn: { state: "FINISHED", finalStatus: "SUCCEEDED" } });
      expect(nohs).toMatchObject({ state: "FINISHED", finalStateSource: "yarn" });
      expect(failed).toMatchObject({ state: "FAILED", finalStateSource: "yarn", yarn: { finalStatus: "FAILED" } });
      expect(failed?.failureCause).toBeTruthy();
    } finally {
      w.emulator.control.setHistoryLag(0);
    }
  }, 20_000);

  it("calls a run the RM forgot and no archive has LOST only after MONITOR_LOST_GRACE, and leaves LOST when the job is seen again", async () => {
    w.emulator.control.setHistoryLag(3_600_000);
    const noHistory = await start("forgot-nohs", "yarn-nohs", "com.acme.BatchForgotten", ["--emulator.runMs=2000"]);
    const lagging = await start("forgot-hs", "yarn", "com.acme.BatchForgottenArchived", ["--emulator.runMs=2000"]);
    const runs = [noHistory, lagging];
    await stepUntil(runs, (r) => r.state === "RUNNING", 200);
    w.emulator.control.setFault("rm", { status: 500 });
    await step(5_000);
    expect(w.emulator.control.forgetApps({ ids: runs.map((r) => r.appId!) }).sort()).toEqual(runs.map((r) => r.appId).sort());
    for (const run of runs) unknownEverywhere.add(run.id);
    w.emulator.control.clearFaults();

    // Unknown everywhere from the first tick the RM answers; LOST once the grace (1 min) has passed since.
    let unseenSince: Date | null = null;
    for (let i = 0; i < 30; i++) {
      await step(1_000);
      const rows = await w.t.database.db.selectFrom("runs").select(["id", "state", "unseen_since"]).where("id", "in", runs.map((r) => r.id)).execute();
      unseenSince ??= rows[0]?.unseen_since ?? null;
      const now = w.t.clock.now().getTime();
      for (const row of rows) {
        if (!unseenSince || now - unseenSince.getTime() < 60_000) expect(row.state, `${row.id} ${now - (unseenSince?.getTime() ?? now)} ms unseen`).toBe("RUNNING");
        else expect(row.state).toBe("LOST");
      }
      if (rows.every((r) => r.state === "LOST")) break;
    }
    expect(unseenSince).not.toBeNull();
    for (const run of runs) expect((await getRun(run.id)).state).toBe("LOST");

    // The archive catches up: the run takes the state it shows.
    w.emulator.control.setHistoryLag(0);
    unknownEverywhere.delete(lagging.id);
    await step(0);
    expect(await getRun(lagging.id)).toMatchObject({ state: "FINISHED", finalStateSource: "history-server" });
    expect((await getRun(noHistory.id)).state).toBe("LOST");
    expect(transitions).toContain(`${lagging.id}:LOST->FINISHED`);
  }, 30_000);

  it("detected every real end, and checked every change against the truth", async () => {
    const missed: string[] = [];
    for (const run of watched) {
      const real = truth(run);
      const stored = await getRun(run.id);
      if (TERMINAL.includes(real) && stored.state !== real) missed.push(`${run.id} (${run.target}) is ${stored.state}, job ${real}`);
    }
    expect(missed).toEqual([]);
    const ends = transitions.filter((t) => /->(FINISHED|FAILED|CANCELED)$/.test(t));
    expect(ends.length).toBeGreaterThanOrEqual(15);
    expect(transitions.filter((t) => t.endsWith("->LOST"))).toHaveLength(2);
  });
});
