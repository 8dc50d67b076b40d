import type { Kysely } from "kysely";
import { lastEventSeq, runsChangedSince } from "../store/event-repository.ts";
import { findWatchedRuns, listActiveRuns, UNWATCHED_STATES } from "../store/run-repository.ts";
import type { Database } from "../store/schema.ts";
import type { WatchedRun } from "./reconcile-context.ts";

/**
 * The runs each held target watches, kept between ticks and brought up to
 * date from the event log instead of re-reading every active run each tick
 * (12,000 rows cost the embedded database most of a second). Every write to
 * a run appends an event in the same transaction (src/runs/run-writer.ts),
 * and seq order is commit order (appendEvent's advisory lock), so re-reading
 * the runs named by events after the last seq seen yields exactly the rows
 * as the database has them now, whoever wrote them (API, another replica).
 * A target is read in full when first needed and again after its lease was
 * lost and regained.
 */
export function createWatchedRuns(db: Kysely<Database>) {
  const byTarget = new Map<string, Map<string, WatchedRun>>();
  let seenSeq: number | undefined;

  return {
    /** Once per tick, before the targets are read. */
    async refresh(): Promise<void> {
      if (seenSeq === undefined) {
        seenSeq = await lastEventSeq(db);
        byTarget.clear();
        return;
      }
      const { runIds, lastSeq } = await runsChangedSince(db, seenSeq);
      for (const row of await findWatchedRuns(db, runIds)) {
        const runs = byTarget.get(row.run.target);
        if (!runs) continue; // read in full when its target is first due
        if (UNWATCHED_STATES.includes(row.run.state)) runs.delete(row.run.id);
        else runs.set(row.run.id, row);
      }
      seenSeq = lastSeq;
    },

    async of(target: string): Promise<WatchedRun[]> {
      let runs = byTarget.get(target);
      if (!runs) {
        runs = new Map((await listActiveRuns(db, target)).map((w) => [w.run.id, w]));
        byTarget.set(target, runs);
      }
      return [...runs.values()];
    },

    /** The lease went elsewhere: read in full if it comes back. */
    forget(target: string): void {
      byTarget.delete(target);
    },
  };
}
