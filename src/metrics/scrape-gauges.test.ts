import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics.ts";

const noProcess = { processMetrics: false } as const;

function sampleLines(text: string, prefix: string): string[] {
  return text.split("\n").filter((line) => line.startsWith(prefix));
}

describe("scrape-time gauges", () => {
  it("have no series while no source is bound", async () => {
    const text = await createMetrics(noProcess).registry.metrics();
    expect(text).toContain("# TYPE flinkgate_runs gauge");
    expect(sampleLines(text, "flinkgate_runs")).toEqual([]);
    expect(sampleLines(text, "flinkgate_event_log_")).toEqual([]);
    expect(sampleLines(text, "flinkgate_db_pool_")).toEqual([]);
  });

  it("refresh runs by state on every scrape, dropping states that emptied", async () => {
    let rows = [
      { state: "RUNNING", target: "a", count: 2 },
      { state: "RESTARTING", target: "a", count: 1 },
      { state: "???", target: "a", count: 4 },
    ];
    const metrics = createMetrics({ ...noProcess, sources: { countRunsByState: async () => rows } });
    expect(sampleLines(await metrics.registry.metrics(), "flinkgate_runs")).toEqual([
      'flinkgate_runs{state="RUNNING",target="a"} 2',
      'flinkgate_runs{state="other",target="a"} 5',
    ]);
    rows = [{ state: "FINISHED", target: "a", count: 2 }];
    expect(sampleLines(await metrics.registry.metrics(), "flinkgate_runs")).toEqual([
      'flinkgate_runs{state="FINISHED",target="a"} 2',
    ]);
  });

  it("keep the scrape working when a source fails, and count the failure", async () => {
    const metrics = createMetrics({
      ...noProcess,
      sources: {
        countRunsByState: async () => Promise.reject(new Error("connection terminated")),
        eventLogStats: async () => Promise.reject(new Error("connection terminated")),
        dbPoolStats: () => {
          throw new Error("pool ended");
        },
      },
    });
    metrics.setRunsByState([{ state: "RUNNING", target: "a", count: 1 }]);
    const text = await metrics.registry.metrics();
    // A stale count would look current; no series is the honest answer.
    expect(sampleLines(text, "flinkgate_runs")).toEqual([]);
    expect(sampleLines(text, "flinkgate_event_log_")).toEqual([]);
    expect(sampleLines(text, "flinkgate_metrics_collect_failures_total").sort()).toEqual([
      'flinkgate_metrics_collect_failures_total{collector="db_pool"} 1',
      'flinkgate_metrics_collect_failures_total{collector="event_log"} 1',
      'flinkgate_metrics_collect_failures_total{collector="runs"} 1',
    ]);
  });

  it("read the event log once per scrape for both of its gauges", async () => {
    let calls = 0;
    const metrics = createMetrics(noProcess);
    metrics.setSources({
      eventLogStats: async () => {
        calls++;
        return { count: 7, newestSeq: 9_007_199_254_740_993n };
      },
    });
    const text = await metrics.registry.metrics();
    expect(calls).toBe(1);
    expect(sampleLines(text, "flinkgate_event_log_")).toEqual([
      "flinkgate_event_log_events 7",
      "flinkgate_event_log_newest_seq 9007199254740992",
    ]);
  });

  it("show no newest seq for an empty log", async () => {
    const metrics = createMetrics({ ...noProcess, sources: { eventLogStats: async () => ({ count: 0, newestSeq: null }) } });
    expect(sampleLines(await metrics.registry.metrics(), "flinkgate_event_log_")).toEqual(["flinkgate_event_log_events 0"]);
  });

  it("take pushed pool values when no reader is bound", async () => {
    const metrics = createMetrics(noProcess);
    metrics.setDbPool({ total: 10, idle: 4, waiting: 2 });
    expect(sampleLines(await metrics.registry.metrics(), "flinkgate_db_pool_")).toEqual([
      "flinkgate_db_pool_connections 10",
      "flinkgate_db_pool_idle_connections 4",
      "flinkgate_db_pool_waiting_requests 2",
    ]);
  });
});
