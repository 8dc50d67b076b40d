import { Counter, Gauge, Histogram } from "prom-client";
import type { Registry } from "prom-client";

/**
 * Every metric family the gateway exposes, created in one registry. Names follow
 * Prometheus conventions: `flinkgate_` prefix, base units (`_seconds`), `_total`
 * on counters only. Labels never hold a run ID or a URL; the opt-in per-run
 * detail lives in run-detail.ts.
 */

// Buckets are chosen per metric from what each one measures: API calls are
// milliseconds, detection is bounded by poll intervals (seconds to minutes),
// submissions and savepoints can take many minutes on a busy YARN cluster.
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const DETECTION_BUCKETS = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600];
const TICK_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const SUBMISSION_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const OPERATION_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1800];

/** `collect`: called before a family is read, to add counts kept elsewhere. */
export function createFamilies(registry: Registry, collect: { upstreamRequests?: () => void } = {}) {
  const registers = [registry];
  return {
    buildInfo: new Gauge({
      name: "flinkgate_build_info",
      help: "Always 1; labels carry the gateway version and this replica's identity.",
      labelNames: ["version", "replica"] as const,
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: "flinkgate_http_request_duration_seconds",
      help: "Duration of HTTP requests served, by route template, method and status code.",
      labelNames: ["route", "method", "status"] as const,
      buckets: HTTP_BUCKETS,
      registers,
    }),
    runTransitions: new Counter({
      name: "flinkgate_run_transitions_total",
      help: "Run state transitions recorded, by previous state, new state and target.",
      labelNames: ["from", "to", "target"] as const,
      registers,
    }),
    jobRestarts: new Counter({
      name: "flinkgate_job_restarts_total",
      help: "Flink job restarts observed on running runs, by job name and target.",
      labelNames: ["job_name", "target"] as const,
      registers,
    }),
    detectionLatency: new Histogram({
      name: "flinkgate_detection_latency_seconds",
      help: "Time from a state change upstream to the gateway recording it, by target.",
      labelNames: ["target"] as const,
      buckets: DETECTION_BUCKETS,
      registers,
    }),
    reconcileTickDuration: new Histogram({
      name: "flinkgate_reconcile_tick_duration_seconds",
      help: "Duration of one reconcile tick of a target (list calls, diff and writes).",
      labelNames: ["target"] as const,
      buckets: TICK_BUCKETS,
      registers,
    }),
    upstreamRequests: new Counter({
      name: "flinkgate_upstream_requests_total",
      help: "Requests to Flink, History Server and YARN, by target, upstream and outcome (success or error).",
      labelNames: ["target", "upstream", "outcome"] as const,
      registers,
      ...(collect.upstreamRequests && { collect: collect.upstreamRequests }),
    }),
    upstreamErrors: new Counter({
      name: "flinkgate_upstream_errors_total",
      help: "Failed upstream requests by target, upstream and kind of failure; never turned into run states.",
      labelNames: ["target", "upstream", "kind"] as const,
      registers,
    }),
    targetConsecutiveFailures: new Gauge({
      name: "flinkgate_target_consecutive_failures",
      help: "Consecutive failed reconcile ticks of a target on the replica holding its lease.",
      labelNames: ["target"] as const,
      registers,
    }),
    targetLeaseHeld: new Gauge({
      name: "flinkgate_target_lease_held",
      help: "1 when this replica holds the target's monitoring lease, else 0.",
      labelNames: ["target"] as const,
      registers,
    }),
    submissions: new Counter({
      name: "flinkgate_submissions_total",
      help: "Job submissions by mode and outcome (success, failure, recovered after a restart).",
      labelNames: ["mode", "outcome"] as const,
      registers,
    }),
    submissionDuration: new Histogram({
      name: "flinkgate_submission_duration_seconds",
      help: "Duration of job submissions, from start to a known job ID or failure, by mode and outcome.",
      labelNames: ["mode", "outcome"] as const,
      buckets: SUBMISSION_BUCKETS,
      registers,
    }),
    operations: new Counter({
      name: "flinkgate_operations_total",
      help: "Completed run operations (savepoint, stop, cancel) by kind and outcome.",
      labelNames: ["kind", "outcome"] as const,
      registers,
    }),
    operationDuration: new Histogram({
      name: "flinkgate_operation_duration_seconds",
      help: "Duration of run operations from trigger to completion, by kind and outcome.",
      labelNames: ["kind", "outcome"] as const,
      buckets: OPERATION_BUCKETS,
      registers,
    }),
  };
}

export type Families = ReturnType<typeof createFamilies>;
