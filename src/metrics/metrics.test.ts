import { register as globalRegistry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics.ts";
import type { Metrics } from "./metrics.ts";
import { touchEveryMetric } from "./touch-every-metric.ts";

/** Samples of one family (for a histogram: its `_count` samples). */
async function samples(metrics: Metrics, name: string) {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no family ${name}`);
  const { values } = await metric.get();
  // Histogram values carry the sample name (`…_bucket`, `…_count`); others do not.
  return (values as Array<(typeof values)[number] & { metricName?: string }>)
    .filter((v) => v.metricName === undefined || v.metricName === `${name}_count`)
    .map((v) => ({ labels: v.labels, value: v.value }));
}

const FAMILIES: Record<string, string> = {
  flinkgate_build_info: "gauge",
  flinkgate_http_request_duration_seconds: "histogram",
  flinkgate_runs: "gauge",
  flinkgate_run_transitions_total: "counter",
  flinkgate_job_restarts_total: "counter",
  flinkgate_detection_latency_seconds: "histogram",
  flinkgate_reconcile_tick_duration_seconds: "histogram",
  flinkgate_upstream_requests_total: "counter",
  flinkgate_upstream_errors_total: "counter",
  flinkgate_target_consecutive_failures: "gauge",
  flinkgate_target_lease_held: "gauge",
  flinkgate_submissions_total: "counter",
  flinkgate_submission_duration_seconds: "histogram",
  flinkgate_operations_total: "counter",
  flinkgate_operation_duration_seconds: "histogram",
  flinkgate_event_log_events: "gauge",
  flinkgate_event_log_newest_seq: "gauge",
  flinkgate_db_pool_connections: "gauge",
  flinkgate_db_pool_idle_connections: "gauge",
  flinkgate_db_pool_waiting_requests: "gauge",
  flinkgate_metrics_collect_failures_total: "counter",
  process_cpu_user_seconds_total: "counter",
  process_resident_memory_bytes: "gauge",
  nodejs_eventloop_lag_seconds: "gauge",
  nodejs_heap_size_used_bytes: "gauge",
};

describe("createMetrics", () => {
  it("exposes every family with HELP and TYPE in its own registry", async () => {
    const metrics = createMetrics();
    const text = await metrics.registry.metrics();
    for (const [name, type] of Object.entries(FAMILIES)) {
      expect(text, name).toContain(`# TYPE ${name} ${type}\n`);
      expect(text, name).toMatch(new RegExp(`# HELP ${name} \\S`));
    }
    expect(await globalRegistry.metrics()).not.toContain("flinkgate_");
    // A second instance (tests, or a restart in-process) must not collide.
    expect(() => createMetrics()).not.toThrow();
  });

  it("leaves out the default gauges promtool's lint rejects, keeps their labelled twins", async () => {
    const text = await createMetrics().registry.metrics();
    expect(text).not.toContain("nodejs_active_handles_total");
    expect(text).not.toContain("nodejs_active_resources_total");
    expect(text).toContain("# TYPE nodejs_active_handles gauge");
  });

  it("identifies the replica in build_info", async () => {
    const metrics = createMetrics({ version: "1.2.3", replica: "gw-2" });
    expect(await samples(metrics, "flinkgate_build_info")).toEqual([
      { labels: { version: "1.2.3", replica: "gw-2" }, value: 1 },
    ]);
  });

  it("caps route label values so a raw path cannot create a series per request", async () => {
    const metrics = createMetrics({ processMetrics: false });
    for (let i = 0; i < 150; i++) {
      metrics.observeHttpRequest({ route: `/v1/runs/run_${i}`, method: "GET", status: 200, seconds: 0.001 });
    }
    metrics.observeHttpRequest({ route: undefined, method: "GET", status: 404, seconds: 0.001 });
    const rows = await samples(metrics, "flinkgate_http_request_duration_seconds");
    expect(rows).toHaveLength(102);
    expect(rows.find((r) => r.labels.route === "other")?.value).toBe(50);
    expect(rows.find((r) => r.labels.route === "unmatched")?.labels.status).toBe("404");
  });

  it("folds unknown states and enum values into other", async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.recordTransition("RUNNING", "RESTARTING", "t");
    // Callers outside TypeScript's reach may pass anything.
    metrics.observeSubmission({ mode: "yarn-session" as "session", outcome: "success", seconds: 1 });
    expect((await samples(metrics, "flinkgate_run_transitions_total"))[0]?.labels).toEqual({
      from: "RUNNING",
      to: "other",
      target: "t",
    });
    expect((await samples(metrics, "flinkgate_submissions_total"))[0]?.labels.mode).toBe("other");
  });

  it("counts an upstream error as a request and as an error of its kind", async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.recordUpstreamRequest({ target: "t", upstream: "yarn", outcome: "success" });
    metrics.recordUpstreamRequest({ target: "t", upstream: "yarn", outcome: "error", kind: "http_5xx" });
    expect(await samples(metrics, "flinkgate_upstream_requests_total")).toEqual(
      expect.arrayContaining([
        { labels: { target: "t", upstream: "yarn", outcome: "success" }, value: 1 },
        { labels: { target: "t", upstream: "yarn", outcome: "error" }, value: 1 },
      ]),
    );
    expect(await samples(metrics, "flinkgate_upstream_errors_total")).toEqual([
      { labels: { target: "t", upstream: "yarn", kind: "http_5xx" }, value: 1 },
    ]);
  });

  it("counts every successful request once, however often the counter is read", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const succeed = (target: string, upstream: "flink" | "yarn", times: number) => {
      for (let i = 0; i < times; i++) metrics.recordUpstreamRequest({ target, upstream, outcome: "success" });
    };
    succeed("a", "flink", 3);
    succeed("b", "yarn", 2);
    const successes = async () => (await samples(metrics, "flinkgate_upstream_requests_total")).map((s) => [s.labels.target, s.labels.upstream, s.value]);
    expect(await successes()).toEqual([["a", "flink", 3], ["b", "yarn", 2]]);
    expect(await successes()).toEqual([["a", "flink", 3], ["b", "yarn", 2]]);
    succeed("a", "flink", 1);
    succeed("a", "yarn", 4);
    expect(await successes()).toEqual([["a", "flink", 4], ["b", "yarn", 2], ["a", "yarn", 4]]);
    expect(await metrics.render()).toContain('flinkgate_upstream_requests_total{target="a",upstream="yarn",outcome="success"} 4');
  });

  it("reports a target's failures only while this replica holds its lease", async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.setTargetHealth({ target: "t", consecutiveFailures: 4, leaseHeld: true });
    expect(await samples(metrics, "flinkgate_target_consecutive_failures")).toEqual([
      { labels: { target: "t" }, value: 4 },
    ]);
    metrics.setTargetHealth({ target: "t", consecutiveFailures: 4, leaseHeld: false });
    expect(await samples(metrics, "flinkgate_target_consecutive_failures")).toEqual([]);
    expect(await samples(metrics, "flinkgate_target_lease_held")).toEqual([{ labels: { target: "t" }, value: 0 }]);
    metrics.removeTarget("t");
    expect(await samples(metrics, "flinkgate_target_lease_held")).toEqual([]);
  });

  it("creates a restart series at 0 so the first restart shows in increase()", async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.recordRestarts({ jobName: undefined, target: "t", count: 0 });
    expect(await samples(metrics, "flinkgate_job_restarts_total")).toEqual([
      { labels: { job_name: "inline", target: "t" }, value: 0 },
    ]);
  });

  it("clamps negative durations to 0 and skips NaN", async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.observeDetectionLatency({ target: "t", seconds: -3 });
    metrics.observeDetectionLatency({ target: "t", seconds: Number.NaN });
    const text = await metrics.registry.metrics();
    expect(text).toContain('flinkgate_detection_latency_seconds_count{target="t"} 1\n');
    expect(text).toContain('flinkgate_detection_latency_seconds_sum{target="t"} 0\n');
  });

  it("gives every family a sample once touched", async () => {
    const metrics = createMetrics({ perRunDetail: true });
    touchEveryMetric(metrics);
    const text = await metrics.registry.metrics();
    for (const name of Object.keys(FAMILIES)) {
      expect(text, name).toMatch(new RegExp(`^${name}(_count|_bucket)?[{ ]`, "m"));
    }
  });
});
