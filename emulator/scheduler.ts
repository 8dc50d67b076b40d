import type { Clock } from "./clock.ts";

interface Task {
  at: number;
  seq: number;
  run: () => void | Promise<void>;
}

/**
 * One timer for the whole emulator: tasks sit in a min-heap ordered by due time and a
 * single setTimeout is armed for the earliest one. Job states themselves are computed
 * lazily from the clock; only side effects that must happen "by themselves" (an AM
 * opening or closing its port, YARN recording a final status) are scheduled here.
 * With a manual clock no real timer is armed: due tasks run when the clock advances and
 * before every request.
 */
export class Scheduler {
  readonly #heap: Task[] = [];
  readonly #pending = new Set<Promise<void>>();
  #seq = 0;
  #timer: NodeJS.Timeout | undefined;
  #armedFor = Infinity;
  #stopped = false;

  constructor(private readonly clock: Clock) {
    clock.onAdvance?.(() => void this.runDue());
  }

  at(time: number, run: () => void | Promise<void>): void {
    if (this.#stopped) return;
    this.#push({ at: time, seq: this.#seq++, run });
    this.#arm();
  }

  /** Runs every task whose time has come; resolves when their async parts settled. */
  async runDue(): Promise<void> {
    const now = this.clock.now();
    while (this.#heap.length > 0 && this.#heap[0]!.at <= now) {
      const task = this.#pop();
      try {
        const result = task.run();
        if (result instanceof Promise) this.#track(result);
      } catch (error) {
        console.error("emulator: scheduled task failed", error);
      }
    }
    this.#arm();
    await this.settled();
  }

  /** Waits for async task parts (e.g. an AM server starting to listen). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  get size(): number {
    return this.#heap.length;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#heap.length = 0;
  }

  #track(promise: Promise<void>): void {
    const tracked = promise.catch((error: unknown) => console.error("emulator: scheduled task failed", error));
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  #arm(): void {
    if (this.#stopped || this.clock.onAdvance) return;
    const next = this.#heap[0]?.at ?? Infinity;
    if (next === this.#armedFor) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = next;
    if (next === Infinity) return;
    const delay = Math.max(0, Math.min(next - this.clock.now(), 2 ** 31 - 1));
    this.#timer = setTimeout(() => {
      this.#armedFor = Infinity;
      void this.runDue();
    }, delay);
    this.#timer.unref();
  }

  #push(task: Task): void {
    const heap = this.#heap;
    heap.push(task);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): Task {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < heap.length && before(heap[l]!, heap[smallest]!)) smallest = l;
        if (r < heap.length && before(heap[r]!, heap[smallest]!)) smallest = r;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

function before(a: Task, b: Task): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
