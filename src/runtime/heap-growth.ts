import v8 from "node:v8";

/**
 * How far V8 lets the old generation grow past what its last full collection
 * left alive before starting the next one.
 *
 * Left to itself, V8 sizes a small heap whose program is idle most of the
 * time (the monitor works for a fraction of each poll interval) about 10%
 * over its live size, and starts marking once the room left is less than the
 * young generation (16 MB): with a 40 MB live heap, every monitor tick began
 * a full mark-compact, some 50 ms of CPU on the embedded database's tick.
 * At 60% a full collection comes every two or three ticks instead, for about
 * 10 MB more heap (bench/monitor.ts measures both).
 */
export const HEAP_GROWING_PERCENT = 60;

/** Process-wide: V8 reads this flag each time it sets the next collection's limit, so setting it at start-up takes effect. */
export function setHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
