import { hostname } from "node:os";
import { Registry, collectDefaultMetrics } from "prom-client";
import type { Histogram, LabelValues } from "prom-client";
import { createFamilies } from "./families.ts";
import type { Families } from "./families.ts";
import {
  BoundedLabel,
  OPERATION_KINDS,
  OPERATION_OUTCOMES,
  SUBMISSION_MODES,
  SUBMISSION_OUTCOMES,
  UPSTREAMS,
  UPSTREAM_ERROR_KINDS,
  labelOf,
  methodLabel,
  runStateLabel,
  statusLabel,
} from "./labels.ts";
import type {
  OperationKind,
  OperationOutcome,
  SubmissionMode,
  SubmissionOutcome,
  Upstream,
  UpstreamErrorKind,
} from "./labels.ts";
import { createRunDetail } from "./run-detail.ts";
import type { RunDetail } from "./run-detail.ts";
import { createScrapeGauges } from "./scrape-gauges.ts";
import type { DbPoolStats, EventLogStats, MetricSources, RunCountRow } from "./scrape-gauges.ts";

export interface MetricsOptions {
  /** Gateway version for `flinkgate_build_info`. Default `unknown`. */
  version?: string;
  /** This replica's identity for `flinkgate_build_info`. Default the host name. */
  replica?: string;
  /** Per-run series (restarts, checkpoint age) for running runs. Default off: they carry run IDs. */
  perRunDetail?: boolean;
  /** Most runs shown by the per-run detail. Default 100. */
  perRunLimit?: number;
  /** Scrape-time readers; can also be bound later with `setSources`. */
  sources?: MetricSources;
  /** Node process metrics (CPU, memory, event loop, GC). Default on. */
  processMetrics?: boolean;
  /** Epoch milliseconds; injected so tests control checkpoint ages. */
  now?: () => number;
}

// prom-client's defaults include gauges ending in `_total`, which promtool's
// lint rejects ("non-counter metrics should not have _total suffix"). Their
// labelled twins (`nodejs_active_handles{type}`, …) carry the same numbers.
const LINT_FAILING_DEFAULTS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

// Caps for free-form label values; far above any real deployment's count.
const ROUTE_LIMIT = 100;
const TARGET_LIMIT = 100;
const JOB_LIMIT = 500;

export type UpstreamRequest =
  | { target: string; upstream: Upstream; outcome: "success" }
  | { target: string; upstream: Upstream; outcome: "error"; kind: UpstreamErrorKind };

export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  if (options.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
    for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
  }
  // The monitor makes hundreds of successful reads a tick: they are tallied
  // here and added to the counter when it is read (a scrape), not one labelled
  // increment each.
  const successes = new PendingCounts((target, upstream, n) => families.upstreamRequests.inc({ target, upstream, outcome: "success" }, n));
  const counted: Families = createFamilies(registry, { upstreamRequests: () => successes.flush() });
  const routes = new BoundedLabel(ROUTE_LIMIT, "unmatched");
  const targets = new BoundedLabel(TARGET_LIMIT, "unknown");
  const jobs = new BoundedLabel(JOB_LIMIT, "inline");
  const scrape = createScrapeGauges(registry, targets);
  const families = { ...counted, ...scrape.gauges };
  if (options.sources) scrape.setSources(options.sources);
  const setRunDetails = options.perRunDetail
    ? createRunDetail(registry, {
        limit: options.perRunLimit ?? 100,
        now: options.now ?? Date.now,
        targets,
        jobs,
      })
    : () => {};

  families.buildInfo.set({ version: options.version ?? "unknown", replica: options.replica ?? hostname() }, 1);

  return {
    registry,
    /** `contentType` and `render` make this object the `/metrics` endpoint the HTTP app takes. */
    contentType: registry.contentType,
    render: () => registry.metrics(),
    /** The prom-client handles, for the rare caller the helpers below do not fit. */
    families,

    /** `route` is the route template (`/v1/runs/{id}`), never the raw path; undefined when no route matched. */
    observeHttpRequest(r: { route: string | undefined; method: string; status: number; seconds: number }) {
      const labels = { route: routes.value(r.route), method: methodLabel(r.method), status: statusLabel(r.status) };
      observe(families.httpRequestDuration, labels, r.seconds);
    },
    recordTransition(from: string, to: string, target: string) {
      families.runTransitions.inc({ from: runStateLabel(from), to: runStateLabel(to), target: targets.value(target) });
    },
    /** `count` new restarts seen since the last tick; 0 creates the series so the first real restart is not lost to `increase()`. */
    recordRestarts(r: { jobName: string | undefined; target: string; count: number }) {
      families.jobRestarts.inc({ job_name: jobs.value(r.jobName), target: targets.value(r.target) }, Math.max(0, r.count));
    },
    observeDetectionLatency(r: { target: string; seconds: number }) {
      observe(families.detectionLatency, { target: targets.value(r.target) }, r.seconds);
    },
    observeReconcileTick(r: { target: string; seconds: number }) {
      observe(families.reconcileTickDuration, { target: targets.value(r.target) }, r.seconds);
    },
    recordUpstreamRequest(r: UpstreamRequest) {
      if (r.outcome === "success") {
        successes.add(targets.value(r.target), labelOf(UPSTREAMS, r.upstream));
        return;
      }
      const base = { target: targets.value(r.target), upstream: labelOf(UPSTREAMS, r.upstream) };
      families.upstreamRequests.inc({ ...base, outcome: "error" });
      families.upstreamErrors.inc({ ...base, kind: labelOf(UPSTREAM_ERROR_KINDS, r.kind) });
    },
    /** A replica reports failures only for targets it holds; losing the lease drops that series. */
    setTargetHealth(r: { target: string; consecutiveFailures: number; leaseHeld: boolean }) {
      const target = targets.value(r.target);
      families.targetLeaseHeld.set({ target }, r.leaseHeld ? 1 : 0);
      if (r.leaseHeld) families.targetConsecutiveFailures.set({ target }, r.consecutiveFailures);
      else families.targetConsecutiveFailures.remove({ target });
    },
    /** A deleted target stops being reported. */
    removeTarget(target: string) {
      const labels = { target: targets.value(target) };
      families.targetLeaseHeld.remove(labels);
      families.targetConsecutiveFailures.remove(labels);
    },
    observeSubmission(r: { mode: SubmissionMode; outcome: SubmissionOutcome; seconds?: number }) {
      const labels = { mode: labelOf(SUBMISSION_MODES, r.mode), outcome: labelOf(SUBMISSION_OUTCOMES, r.outcome) };
      families.submissions.inc(labels);
      // A submission recovered after a restart has no meaningful duration.
      if (r.seconds !== undefined) observe(families.submissionDuration, labels, r.seconds);
    },
    observeOperation(r: { kind: OperationKind; outcome: OperationOutcome; seconds: number }) {
      const labels = { kind: labelOf(OPERATION_KINDS, r.kind), outcome: labelOf(OPERATION_OUTCOMES, r.outcome) };
      families.operations.inc(labels);
      observe(families.operationDuration, labels, r.seconds);
    },
    setRunsByState: (rows: readonly RunCountRow[]) => scrape.setRunsByState(rows),
    setEventLog: (stats: EventLogStats) => scrape.setEventLog(stats),
    setDbPool: (stats: DbPoolStats) => scrape.setDbPool(stats),
    /** Binds scrape-time readers; a key set to undefined unbinds it. */
    setSources(sources: MetricSources) {
      scrape.setSources(sources);
    },
    /** The running runs now; a no-op unless `perRunDetail` is on. */
    setRunDetails: (running: readonly RunDetail[]) => setRunDetails(running),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * Clock skew between an upstream and the gateway can make a latency negative:
 * it counts as 0. A NaN (an unparsable upstream timestamp) is not observed at
 * all rather than being recorded as a fake value.
 */
function observe<T extends string>(histogram: Histogram<T>, labels: LabelValues<T>, value: number): void {
  if (!Number.isNaN(value)) histogram.observe(labels, Math.max(0, value));
}

/** Increments by target and upstream, kept as plain numbers until `flush`. */
class PendingCounts {
  private readonly counts = new Map<string, Map<string, number>>();

  constructor(private readonly apply: (target: string, upstream: string, n: number) => void) {}

  add(target: string, upstream: string): void {
    let byUpstream = this.counts.get(target);
    if (!byUpstream) this.counts.set(target, (byUpstream = new Map()));
    byUpstream.set(upstream, (byUpstream.get(upstream) ?? 0) + 1);
  }

  flush(): void {
    for (const [target, byUpstream] of this.counts) for (const [upstream, n] of byUpstream) this.apply(target, upstream, n);
    this.counts.clear();
  }
}
