import type { MonitoredRun } from "../domain/run.ts";
import type { RunPatch } from "../store/run-repository.ts";
import type { ChangeMany } from "./grouped-writes.ts";

interface PendingChange {
  run: MonitoredRun;
  patch: RunPatch;
  source: string;
  upstreamTime: number | undefined;
}

/**
 * A target's changes of one tick, written together: one transaction per
 * target (or fewer, grouped-writes.ts) instead of one per run (on the
 * embedded database each transaction costs milliseconds of CPU, and a busy
 * tick changes a hundred runs). Each
 * change is still guarded by the state the tick read, so a run that moved on
 * meanwhile (API, another replica) is skipped and gets no event.
 */
export function createRunChangeBatch() {
  const pending: PendingChange[] = [];
  return {
    add(run: MonitoredRun, patch: RunPatch, source: string, upstreamTime: number | undefined): void {
      pending.push({ run, patch, source, upstreamTime });
    },

    /** Writes what was added; `onDetected` gets each applied state change that carries the upstream's time of it. */
    async write(changeMany: ChangeMany, onDetected: (upstreamTime: number) => void): Promise<void> {
      const changes = pending.splice(0);
      if (changes.length === 0) return;
      const written = await changeMany(changes.map((c) => ({ runId: c.run.id, from: [c.run.state], patch: c.patch, source: c.source })));
      changes.forEach((change, i) => {
        if (written[i] && change.patch.state && change.upstreamTime) onDetected(change.upstreamTime);
      });
    },
  };
}
