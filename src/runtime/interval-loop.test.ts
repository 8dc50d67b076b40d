import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "../logging/logger.ts";
import { fixedRateDelay, IntervalLoop } from "./interval-loop.ts";

const logger = createLogger({ level: "silent" });

/** A tick that takes `durationMs` of (fake) time and records when it started and whether another was running. */
function slowTick(durationMs: () => number) {
  const starts: number[] = [];
  let inFlight = 0;
  let overlapped = false;
  const tick = async () => {
    starts.push(Date.now());
    overlapped ||= inFlight > 0;
    inFlight += 1;
    await new Promise((resolve) => setTimeout(resolve, durationMs()));
    inFlight -= 1;
  };
  return { tick, starts, overlapped: () => overlapped };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"], now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("IntervalLoop", () => {
  it("fixed rate: starts each tick one interval after the previous one started", async () => {
    const t = slowTick(() => 300);
    const loop = new IntervalLoop("test", 1_000, t.tick, logger, { fixedRate: true });
    loop.start();
    await vi.advanceTimersByTimeAsync(4_500);
    await loop.stop();
    expect(t.starts).toEqual([1_000, 2_000, 3_000, 4_000]);
  });

  it("fixed rate: a tick that overran is followed at once, never overlapped", async () => {
    const durations = [2_500, 200, 200, 200];
    const t = slowTick(() => durations.shift() ?? 200);
    const loop = new IntervalLoop("test", 1_000, t.tick, logger, { fixedRate: true });
    loop.start();
    await vi.advanceTimersByTimeAsync(5_100);
    await loop.stop();
    // "At once" is the next timer turn: Node runs a 0 ms timeout after 1 ms.
    expect(t.starts).toEqual([1_000, 3_501, 4_501]);
    expect(t.overlapped()).toBe(false);
  });

  it("by default waits one interval after the previous tick ended", async () => {
    const t = slowTick(() => 300);
    const loop = new IntervalLoop("test", 1_000, t.tick, logger);
    loop.start();
    await vi.advanceTimersByTimeAsync(4_000);
    await loop.stop();
    expect(t.starts).toEqual([1_000, 2_300, 3_600]);
  });

  it("stop() waits for the running tick and starts no other", async () => {
    const t = slowTick(() => 500);
    const loop = new IntervalLoop("test", 1_000, t.tick, logger, { fixedRate: true });
    loop.start();
    await vi.advanceTimersByTimeAsync(1_100);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(300);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    await stopping;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(t.starts).toEqual([1_000]);
  });

  it("fixedRateDelay never goes below zero", () => {
    expect(fixedRateDelay(5_000, 1_200)).toBe(3_800);
    expect(fixedRateDelay(5_000, 7_000)).toBe(0);
  });
});
