import type { Run } from "../domain/run.ts";
import type { RunChangeRequest } from "../runs/run-writer.ts";

export type ChangeMany = (changes: readonly RunChangeRequest[]) => Promise<(Run | undefined)[]>;

/**
 * Group commit for the monitor's per-target batches: the first batch waits
 * `lingerMs` for the targets that finish just after it, and while one
 * transaction is being written, the batches that arrive meanwhile wait and
 * then go together in the next one. A busy tick takes a few transactions
 * instead of one per target (the embedded database runs one at a time, and
 * every writer takes the event log's lock, so they never ran side by side);
 * no change waits more than `lingerMs` beyond its turn at the database.
 * A failed transaction fails every batch in it; each caller sees the error.
 */
export function groupWrites(changeMany: ChangeMany, lingerMs = 0): ChangeMany {
  let queued: Array<{ changes: readonly RunChangeRequest[]; resolve(runs: (Run | undefined)[]): void; reject(error: unknown): void }> = [];
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    if (lingerMs > 0) await new Promise((resolve) => setTimeout(resolve, lingerMs));
    while (queued.length > 0) {
      const group = queued;
      queued = [];
      try {
        const written = await changeMany(group.flatMap((g) => g.changes));
        let offset = 0;
        for (const g of group) {
          g.resolve(written.slice(offset, offset + g.changes.length));
          offset += g.changes.length;
        }
      } catch (error) {
        for (const g of group) g.reject(error);
      }
    }
    writing = false;
  }

  return (changes) =>
    new Promise((resolve, reject) => {
      queued.push({ changes, resolve, reject });
      if (!writing) void drain();
    });
}
