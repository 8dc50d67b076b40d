import type { DetectionSummary } from "./detection.ts";
import { markdownTable, median, percentile } from "./stats.ts";
import type { LoopResult, TickSample } from "./tick-loop.ts";
import { totalOf, UPSTREAM_LABELS, UPSTREAMS, type UpstreamCounts } from "./upstream-counts.ts";

/** One poller's figures over its measured ticks: medians per tick, latency percentiles, peak RSS. */
export interface PollerFigures {
  watched: number;
  ticks: number;
  requests: UpstreamCounts;
  totalRequests: number;
  /** Median requests per tick once nothing changes any more. */
  quietRequests: number;
  cpuMs: number;
  /** In the tick and after it until the next one starts. */
  periodCpuMs: number;
  systemCpuMs: number;
  wallMs: number;
  p50Ms: number;
  p99Ms: number;
  detection: DetectionSummary;
  peakRssMb: number;
  /** The highest RSS after a tick of the quiet end: what the process settles at, start-up over. */
  quietRssMb: number;
  peakHeapUsedMb: number;
  peakExternalMb: number;
}

export function figuresOf(loop: LoopResult, quiet: TickSample[], detection: DetectionSummary, watched: number): PollerFigures {
  const requests = Object.fromEntries(UPSTREAMS.map((u) => [u, median(loop.ticks.map((t) => t.requests[u]))])) as UpstreamCounts;
  return {
    watched,
    ticks: loop.ticks.length,
    requests,
    totalRequests: median(loop.ticks.map((t) => totalOf(t.requests))),
    quietRequests: median(quiet.map((t) => totalOf(t.requests))),
    cpuMs: median(loop.ticks.map((t) => t.cpuMs)),
    periodCpuMs: median(loop.ticks.map((t) => t.cpuMs + t.afterCpuMs)),
    systemCpuMs: median(loop.ticks.map((t) => t.systemCpuMs)),
    wallMs: median(loop.ticks.map((t) => t.wallMs)),
    p50Ms: percentile(detection.latenciesMs, 50),
    p99Ms: percentile(detection.latenciesMs, 99),
    detection,
    peakRssMb: loop.peakRssMb,
    quietRssMb: quiet.length > 0 ? Math.max(...quiet.map((t) => t.rssMb)) : Number.NaN,
    peakHeapUsedMb: loop.peakHeapUsedMb,
    peakExternalMb: loop.peakExternalMb,
  };
}

const n = (v: number, digits = 0): string => (Number.isNaN(v) ? "–" : v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const ratio = (naive: number, monitor: number): string => (monitor > 0 && !Number.isNaN(naive) ? `${n(naive / monitor, 1)}×` : "–");

export function comparisonTable(monitor: PollerFigures, naive: PollerFigures | undefined): string {
  const row = (label: string, get: (f: PollerFigures) => number, digits = 0, withRatio = true): string[] => [
    label,
    n(get(monitor), digits),
    naive ? n(get(naive), digits) : "–",
    naive && withRatio ? ratio(get(naive), get(monitor)) : "",
  ];
  const rows = [
    row("runs watched at start", (f) => f.watched, 0, false),
    row("ticks measured", (f) => f.ticks, 0, false),
    row("**requests / tick**, nothing changing (median)", (f) => f.quietRequests),
    row("**requests / tick**, changes streaming (median)", (f) => f.totalRequests),
    ...UPSTREAMS.filter((u) => monitor.requests[u] > 0 || (naive?.requests[u] ?? 0) > 0).map((u) => row(`  ${UPSTREAM_LABELS[u]}`, (f) => f.requests[u])),
    row("**CPU / tick**, ms (median)", (f) => f.cpuMs, 1),
    row("  with what it left until the next tick, ms (median)", (f) => f.periodCpuMs, 1),
    row("  of which in the kernel, ms (median)", (f) => f.systemCpuMs, 1),
    row("tick wall time, ms (median)", (f) => f.wallMs),
    row("**detection latency p50**, ms", (f) => f.p50Ms),
    row("**detection latency p99**, ms", (f) => f.p99Ms),
    ["ends detected / scripted", `${monitor.detection.latenciesMs.length} / ${monitor.detection.ends}`, naive ? `${naive.detection.latenciesMs.length} / ${naive.detection.ends}` : "–", ""],
    ["restarts seen / scripted", `${monitor.detection.restartsSeen} / ${monitor.detection.restarts}`, naive ? `${naive.detection.restartsSeen} / ${naive.detection.restarts}` : "–", ""],
    row("**peak RSS**, MB", (f) => f.peakRssMb),
    row("  RSS after the quiet ticks at the end, MB (max)", (f) => f.quietRssMb),
    row("  V8 heap used after a tick, MB (max)", (f) => f.peakHeapUsedMb),
    row("  external (Buffers, ArrayBuffers) after a tick, MB (max)", (f) => f.peakExternalMb),
  ];
  return markdownTable(["per tick, median over ticks", "flinkgate monitor", "naive poller", "naive ÷ monitor"], rows);
}

export function targetLines(monitor: PollerFigures, naive: PollerFigures | undefined, bounds: { targets: number; runningYarnApps: number; intervalMs: number }): string[] {
  const requestBound = bounds.targets + bounds.runningYarnApps / 5;
  const mark = (ok: boolean) => (ok ? "met   " : "MISSED");
  const lines = [
    `${mark(monitor.quietRequests <= requestBound)} steady requests/tick ${n(monitor.quietRequests)} ≤ targets + running YARN apps ÷ 5 = ${bounds.targets} + ${bounds.runningYarnApps} ÷ 5 = ${n(requestBound)}`,
  ];
  if (naive) {
    const fewer = naive.quietRequests / monitor.quietRequests;
    const streaming = naive.totalRequests / monitor.totalRequests;
    lines.push(`${mark(fewer >= 20)} ${n(fewer, 1)}× fewer requests than the naive poller when steady, ${n(streaming, 1)}× with changes streaming (≥ 20×)`);
  }
  lines.push(
    `${mark(monitor.periodCpuMs <= 250)} CPU/tick ${n(monitor.periodCpuMs, 1)} ms (${n(monitor.cpuMs, 1)} in the tick, the rest in the background until the next) ≤ 250 ms`,
    `${mark(monitor.p99Ms <= bounds.intervalMs + 500)} p99 detection latency ${n(monitor.p99Ms)} ms ≤ poll interval + 500 ms = ${n(bounds.intervalMs + 500)} ms`,
    `${mark(monitor.peakRssMb <= 300)} peak RSS ${n(monitor.peakRssMb)} MB ≤ 300 MB`,
  );
  return lines;
}
