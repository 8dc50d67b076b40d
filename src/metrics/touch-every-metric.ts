import type { Metrics } from "./metrics.ts";

/**
 * Gives every family at least one series, through the same helpers the
 * gateway calls. Used by tests that check the exposition (promtool, the
 * dashboards' metric names) and by the local scrape target in test/:
 * a labelled family nobody has touched prints only HELP and TYPE, with no
 * `_bucket` / `_count` samples to check a query against.
 */
export function touchEveryMetric(metrics: Metrics): void {
  metrics.observeHttpRequest({ route: "/v1/runs/{id}", method: "GET", status: 200, seconds: 0.012 });
  metrics.recordTransition("RUNNING", "FAILED", "session-a");
  metrics.recordRestarts({ jobName: "orders-enrich", target: "session-a", count: 1 });
  metrics.observeDetectionLatency({ target: "session-a", seconds: 2.5 });
  metrics.observeReconcileTick({ target: "session-a", seconds: 0.08 });
  metrics.recordUpstreamRequest({ target: "session-a", upstream: "flink", outcome: "success" });
  metrics.recordUpstreamRequest({ target: "session-a", upstream: "yarn", outcome: "error", kind: "timeout" });
  metrics.setTargetHealth({ target: "session-a", consecutiveFailures: 0, leaseHeld: true });
  metrics.observeSubmission({ mode: "session", outcome: "success", seconds: 3 });
  metrics.observeOperation({ kind: "savepoint", outcome: "succeeded", seconds: 12 });
  metrics.setRunsByState([{ state: "RUNNING", target: "session-a", count: 1 }]);
  metrics.setEventLog({ count: 1, newestSeq: 1 });
  metrics.setDbPool({ total: 2, idle: 1, waiting: 0 });
  metrics.families.collectFailures.inc({ collector: "runs" }, 0);
  metrics.setRunDetails([
    { runId: "run_fixture", jobName: "orders-enrich", target: "session-a", restarts: 1, lastCheckpointAt: 0 },
  ]);
}
