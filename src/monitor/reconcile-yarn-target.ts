import type { YarnTarget } from "../domain/target.ts";
import type { Evidence, FlinkEvidence, YarnEvidence } from "./evidence.ts";
import { YARN_TERMINAL_STATES } from "./evidence.ts";
import { isSteadyYarnSighting } from "./decide-run-change.ts";
import { eachLimited } from "./each-limited.ts";
import { applyEvidence, isCheckpointDue, isDetailDue, type ReconcileContext, type WatchedRun } from "./reconcile-context.ts";
import type { AppReport, JobDetail, MonitorSources } from "./sources.ts";

const RESTARTING = new Set(["RESTARTING", "FAILING"]);
/**
 * Runs whose reads are in flight at once. Every proxy read goes to the RM's
 * origin, which the shared pool serves with 8 connections (UpstreamHttp's
 * default): more would only queue there. One at a time made a tick with a
 * few hundred detail reads last a second, and every change written after it.
 */
const RUN_CONCURRENCY = 8;
/** Slack for clock skew between the RM and this gateway when asking for recently ended apps. */
const ENDED_WINDOW_SLACK_MS = 5 * 60_000;

async function optional<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch {
    return undefined;
  }
}

function yarnEvidence(app: AppReport): YarnEvidence {
  return { state: app.state, finalStatus: app.finalStatus, diagnostics: app.diagnostics, startedTime: app.startedTime, finishedTime: app.finishedTime, amAddress: app.amAddress };
}

function indexApps(apps: AppReport[]) {
  const byId = new Map<string, AppReport>();
  const byTag = new Map<string, AppReport>();
  for (const app of apps) {
    byId.set(app.id, app);
    for (const tag of app.tags) byTag.set(tag, app);
  }
  return (run: WatchedRun["run"]) => (run.yarn.applicationId ? byId.get(run.yarn.applicationId) : undefined) ?? (run.yarn.tag ? byTag.get(run.yarn.tag) : undefined);
}

/**
 * One tick of a YARN target (DESIGN.md "Monitoring"): one filtered list of
 * the Flink applications that have not ended covers every running run; a
 * second list call, made only when some run's application left that list,
 * finds how they ended. Job detail of running per-job clusters is read
 * through the RM proxy every tick while a run is transitional, every Nth
 * tick when steady. After an application ended, the History Server (when
 * configured) is asked for the job's exact end; YARN's finalStatus decides
 * otherwise.
 */
export async function reconcileYarnTarget(target: YarnTarget, runs: WatchedRun[], sources: MonitorSources, ctx: ReconcileContext): Promise<void> {
  if (runs.length === 0) return;
  const yarn = sources.yarn(target);
  const history = sources.historyServer(target);
  const findActive = indexApps(await yarn.listActive());

  const vanished = runs.filter((w) => !findActive(w.run));
  let findEnded: ReturnType<typeof indexApps> = () => undefined;
  if (vanished.length > 0) {
    const since = Math.min(...vanished.map((w) => (w.run.submittedAt ?? w.run.createdAt).getTime())) - ENDED_WINDOW_SLACK_MS;
    findEnded = indexApps(await yarn.listEnded(since));
  }

  // Most runs are steady and not due for a read: nothing to ask, nothing to weigh.
  const busy = runs.filter((w) => {
    const app = findActive(w.run);
    return !(app && !isDetailDue(ctx, w.run) && !isCheckpointDue(ctx, w.run) && isSteadyYarnSighting(w.run, app));
  });
  await eachLimited(busy, RUN_CONCURRENCY, async (watched) => {
    const { run } = watched;
    let app = findActive(run) ?? findEnded(run);
    let rmForgot = false;
    if (!app && run.yarn.applicationId) {
      // Not in either list (ended before the window, or the RM dropped it): ask once for it.
      const asked = await optional(yarn.app(run.yarn.applicationId).then((a) => a ?? null));
      if (asked === null) rmForgot = true;
      app = asked ?? undefined;
    }
    const evidence: Evidence = {};
    let plan: Record<string, unknown> | undefined;
    if (app) evidence.yarn = yarnEvidence(app);
    if (app && !YARN_TERMINAL_STATES.includes(app.state)) {
      if (app.state === "RUNNING" && isDetailDue(ctx, run)) {
        const detail = await optional(yarn.jobViaProxy(app, run.flinkJobId));
        if (detail) {
          evidence.flink = await flinkEvidence(detail, run.flinkState, "flink", () => yarn.failuresViaProxy(app as AppReport, run.flinkJobId));
          if (!watched.hasPlan) plan = await optional(yarn.planViaProxy(app, run.flinkJobId));
        }
      }
      if (app.state === "RUNNING" && run.state === "RUNNING" && isCheckpointDue(ctx, run)) {
        const checkpoint = await optional(yarn.checkpointViaProxy(app, run.flinkJobId));
        if (checkpoint) evidence.lastCheckpoint = checkpoint;
      }
    }
    // Ended (or forgotten): the archive has the exact state and cause once it has the job.
    let historyAnswered = !history;
    if (history && (rmForgot || (app && YARN_TERMINAL_STATES.includes(app.state)))) {
      const archived = await history.job(run.flinkJobId).then((job) => ({ job }), () => undefined);
      historyAnswered = archived !== undefined;
      if (archived?.job && ["FINISHED", "FAILED", "CANCELED"].includes(archived.job.state)) {
        evidence.flink = await flinkEvidence(archived.job, run.flinkState, "history-server", () => history.failures(run.flinkJobId));
        plan = archived.job.plan;
      }
    }
    // LOST needs every source to say it does not know the job: the RM (404) and the archive.
    if (!app && !evidence.flink) evidence.unknownEverywhere = rmForgot && historyAnswered;
    applyEvidence(ctx, watched, evidence, { plan, yarnApplicationId: app?.id });
  });
}

async function flinkEvidence(
  job: JobDetail,
  previous: string | null,
  source: FlinkEvidence["source"],
  failures: () => Promise<{ count: number; latest?: string | undefined }>,
): Promise<FlinkEvidence> {
  const flink: FlinkEvidence = { source, state: job.state, startTime: job.startTime, endTime: job.endTime, timestamps: job.timestamps };
  if (job.state !== previous && (RESTARTING.has(job.state) || job.state === "FAILED")) {
    const found = await optional(failures());
    if (found) {
      flink.restarts = job.state === "FAILED" ? Math.max(0, found.count - 1) : found.count;
      if (job.state === "FAILED") flink.failureCause = found.latest;
    }
  }
  return flink;
}
