import type { Logger } from "../logging/logger.ts";

export interface IntervalLoopOptions {
  /**
   * Start each tick `intervalMs` after the previous one started (at once when
   * it overran) instead of `intervalMs` after it ended, so a poller sees the
   * upstream every interval however long its tick takes.
   */
  fixedRate?: boolean;
}

/** How long to wait before the next tick of a fixed-rate loop whose last tick took `elapsedMs`. */
export function fixedRateDelay(intervalMs: number, elapsedMs: number): number {
  return Math.max(0, intervalMs - elapsedMs);
}

/**
 * Runs `tick` every `intervalMs`, never two at once. `stop()` prevents new
 * ticks and waits for the one in progress, so shutdown never cuts a tick in
 * half. A failing tick is logged and the loop goes on.
 */
export class IntervalLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly tick: () => Promise<void>,
    private readonly logger: Logger,
    private readonly options: IntervalLoopOptions = {},
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(this.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const started = performance.now();
      this.running = this.tick()
        .catch((error: unknown) => this.logger.error({ err: error, loop: this.name }, "background loop tick failed"))
        .finally(() => {
          this.running = undefined;
          // The next tick is scheduled only once this one ended: never two at once.
          this.schedule(this.options.fixedRate ? fixedRateDelay(this.intervalMs, performance.now() - started) : this.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }
}
