import type { SessionTarget } from "../domain/target.ts";
import type { Evidence, FlinkEvidence } from "./evidence.ts";
import { isSteadySighting } from "./decide-run-change.ts";
import { applyEvidence, type ReconcileContext, type WatchedRun } from "./reconcile-context.ts";
import type { FlinkJobsSource, JobSummary, MonitorSources } from "./sources.ts";

const RESTARTING = new Set(["RESTARTING", "FAILING"]);

async function optional<T>(promise: Promise<T> | undefined): Promise<T | undefined> {
  try {
    return await promise;
  } catch {
    return undefined; // a failed extra read only means less detail this tick
  }
}

/**
 * One tick of a session target: one `GET /jobs/overview` covers every run on
 * the cluster. The History Server is asked (once) only when some run's job is
 * missing from the cluster; per-job reads happen only on transitions
 * (a restart's or failure's cause, the last checkpoint) and for the plan once.
 */
export async function reconcileSessionTarget(target: SessionTarget, runs: WatchedRun[], sources: MonitorSources, ctx: ReconcileContext): Promise<void> {
  if (runs.length === 0) return;
  const cluster = sources.session(target);
  const jobs = new Map((await cluster.listJobs()).map((j) => [j.jobId, j]));

  const history = sources.historyServer(target);
  const missing = runs.filter((w) => !jobs.has(w.run.flinkJobId));
  let archived: Map<string, JobSummary> | undefined;
  if (missing.length > 0 && history) {
    const listed = await optional(history.listJobs());
    if (listed) archived = new Map(listed.map((j) => [j.jobId, j]));
  }

  for (const watched of runs) {
    const { run } = watched;
    const live = jobs.get(run.flinkJobId);
    if (live && watched.hasPlan && isSteadySighting(run, live.state)) continue;
    const past = live ? undefined : archived?.get(run.flinkJobId);
    const summary = live ?? past;
    if (!summary) {
      // Unknown everywhere only when every configured source answered.
      applyEvidence(ctx, watched, { unknownEverywhere: !history || archived !== undefined });
      continue;
    }
    const source: FlinkJobsSource = live ? cluster : (history as FlinkJobsSource);
    const flink: FlinkEvidence = { source: live ? "flink" : "history-server", state: summary.state, startTime: summary.startTime, endTime: summary.endTime };
    const stateChanged = summary.state !== run.flinkState;
    if (stateChanged && (RESTARTING.has(summary.state) || summary.state === "FAILED")) {
      const failures = await optional(source.failures(run.flinkJobId));
      if (failures) {
        flink.restarts = summary.state === "FAILED" ? Math.max(0, failures.count - 1) : failures.count;
        if (summary.state === "FAILED") flink.failureCause = failures.latest;
      }
    }
    let plan: Record<string, unknown> | undefined;
    if (!watched.hasPlan) {
      const detail = await optional(source.job(run.flinkJobId));
      if (detail) {
        flink.timestamps = detail.timestamps;
        plan = detail.plan;
      }
    } else if (stateChanged && summary.lastModification) {
      // The overview's own time of the change: no detail read per transition once the plan is kept.
      flink.timestamps = { [summary.state]: summary.lastModification };
    }
    // The last checkpoint is read with the state changes only, so a steady
    // session cluster still costs one request per tick whatever its job count.
    const evidence: Evidence = { flink };
    if (stateChanged && summary.state !== "CREATED" && summary.state !== "INITIALIZING") {
      const checkpoint = await optional(source.checkpoint(run.flinkJobId));
      if (checkpoint) evidence.lastCheckpoint = checkpoint;
    }
    applyEvidence(ctx, watched, evidence, { plan });
  }
}
