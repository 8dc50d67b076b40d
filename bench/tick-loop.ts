import { fixedRateDelay } from "../src/runtime/interval-loop.ts";
import { countsBetween, readUpstreamCounts, type UpstreamCounts } from "./upstream-counts.ts";

/** What one poller tick cost: requests the emulator served, this process's CPU time, wall time. */
export interface TickSample {
  /** Epoch ms the tick started. */
  startedAt: number;
  requests: UpstreamCounts;
  /** User + kernel CPU time of this process (every thread) during the tick. */
  cpuMs: number;
  /** The kernel's share of `cpuMs` (sockets, memory). */
  systemCpuMs: number;
  /**
   * CPU time of this process from the end of the tick to the start of the
   * next: work the tick left to V8's background threads (garbage collection,
   * compilation) and timers. The bench's own reading of the emulator's
   * counters is not in it.
   */
  afterCpuMs: number;
  wallMs: number;
  /** This process's RSS just after the tick, MB. */
  rssMb: number;
}

export interface LoopResult {
  ticks: TickSample[];
  peakRssMb: number;
  /** The most V8 heap in use after a tick, MB (part of the RSS: what the JS objects themselves hold). */
  peakHeapUsedMb: number;
  /** The most memory outside the V8 heap held by JS objects (Buffers, ArrayBuffers) after a tick, MB. */
  peakExternalMb: number;
}

const MB = 2 ** 20;
const rssMb = (): number => process.memoryUsage.rss() / MB;

/**
 * Runs `tick` the way the gateway's monitor loop does (fixed rate: the next
 * tick starts `intervalMs` after the previous one started, at once when it
 * overran) until `durationMs` passed,
 * measuring each tick. The process's CPU time is the tick's own as long as
 * nothing else runs in this process meanwhile, which is why the emulator
 * lives in another one. RSS is sampled every 100 ms for its peak.
 */
export async function measureTicks(opts: { tick: () => Promise<void>; controlUrl: string; intervalMs: number; durationMs: number; maxTicks?: number }): Promise<LoopResult> {
  const ticks: TickSample[] = [];
  let peakRssMb = rssMb();
  let peakHeapUsedMb = 0;
  let peakExternalMb = 0;
  // RSS every 100 ms; V8 heap in use and external memory (which take a walk
  // over the heap to measure, a few tenths of a millisecond of the measured
  // process's CPU each) with it after each tick.
  const sampleMemory = (): void => {
    const m = process.memoryUsage();
    peakRssMb = Math.max(peakRssMb, m.rss / MB);
    peakHeapUsedMb = Math.max(peakHeapUsedMb, m.heapUsed / MB);
    peakExternalMb = Math.max(peakExternalMb, m.external / MB);
  };
  sampleMemory();
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, rssMb());
  }, 100);
  const end = Date.now() + opts.durationMs;
  // Nothing else calls the emulator's upstreams between ticks, so one read serves as both after and before.
  let before = await readUpstreamCounts(opts.controlUrl);
  let afterTick: NodeJS.CpuUsage | undefined;
  const closeLastTick = (): void => {
    const last = ticks.at(-1);
    if (!last || !afterTick) return;
    const used = process.cpuUsage(afterTick);
    last.afterCpuMs = (used.user + used.system) / 1000;
  };
  try {
    while (Date.now() < end && ticks.length < (opts.maxTicks ?? Infinity)) {
      closeLastTick();
      const startedAt = Date.now();
      const cpu = process.cpuUsage();
      const started = performance.now();
      await opts.tick();
      const wallMs = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const after = await readUpstreamCounts(opts.controlUrl);
      ticks.push({ startedAt, requests: countsBetween(before, after), cpuMs: (used.user + used.system) / 1000, systemCpuMs: used.system / 1000, wallMs, rssMb: rssMb(), afterCpuMs: 0 });
      before = after;
      sampleMemory();
      afterTick = process.cpuUsage();
      await new Promise((resolve) => setTimeout(resolve, fixedRateDelay(opts.intervalMs, performance.now() - started)));
    }
    closeLastTick();
  } finally {
    clearInterval(sampler);
  }
  return { ticks, peakRssMb, peakHeapUsedMb, peakExternalMb };
}
