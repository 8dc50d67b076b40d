/**
 * Time source of the emulator. Every state is computed from `now()`, so a test can swap
 * in a ManualClock and move time explicitly instead of sleeping.
 */
export interface Clock {
  now(): number;
  /** Present on manual clocks: called after time moved, so due work can run. */
  onAdvance?(listener: () => void): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export class ManualClock implements Clock {
  #now: number;
  readonly #listeners: Array<() => void> = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  onAdvance(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /** Moves time forward by `ms` (never backwards) and notifies listeners. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance(ms) needs ms >= 0, got ${ms}`);
    this.#now += ms;
    for (const listener of this.#listeners) listener();
  }
}
