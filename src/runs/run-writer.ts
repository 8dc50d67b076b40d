import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../domain/clock.ts";
import { newId } from "../domain/ids.ts";
import type { Run } from "../domain/run.ts";
import { runResource } from "../domain/run-resource.ts";
import type { RunState } from "../domain/run-state.ts";
import { appendEvent, appendEvents, type NewEvent } from "../store/event-repository.ts";
import { insertRun, lockRunStates, type RunPatch, updateLockedRun, updateRunsInStates } from "../store/run-repository.ts";
import type { Database } from "../store/schema.ts";

export interface Transition {
  run: Run;
  from: RunState;
  to: RunState;
  /** What decided it: `submission`, `recovery`, `flink`, `history-server`, `yarn`, `api`, … */
  source: string;
}

/** One guarded change: `patch` applies only while the run is in one of `from`. */
export interface RunChangeRequest {
  runId: string;
  from: readonly RunState[];
  patch: RunPatch;
  source: string;
}

interface Applied {
  run: Run;
  previous: RunState;
  source: string;
}

/**
 * Every write to a run goes through here: the row and its event in one
 * transaction (DESIGN.md "Events out"). A state change is `run.state_changed`
 * with the run plus from / to / source; any other change is `run.updated`.
 */
export function createRunWriter(deps: { db: Kysely<Database>; clock: Clock; onTransition?: (t: Transition) => void }) {
  function eventOf({ run, previous, source }: Applied, at: Date): NewEvent {
    const data = runResource(run);
    if (run.state !== previous) {
      return { id: newId("evt", deps.clock), type: "run.state_changed", runId: run.id, data: { ...data, from: previous, to: run.state, source }, at };
    }
    return { id: newId("evt", deps.clock), type: "run.updated", runId: run.id, data: { ...data, source }, at };
  }

  async function applyTogether(trx: Transaction<Database>, changes: readonly RunChangeRequest[], at: Date): Promise<(Applied | undefined)[]> {
    const updated = await updateRunsInStates(trx, changes.map((c) => ({ id: c.runId, from: c.from, patch: c.patch })), at);
    return changes.map((change) => {
      const done = updated.get(change.runId);
      return done && { ...done, source: change.source };
    });
  }

  async function applyInTurn(trx: Transaction<Database>, changes: readonly RunChangeRequest[], at: Date): Promise<(Applied | undefined)[]> {
    const states = await lockRunStates(trx, changes.map((c) => c.runId));
    const results: (Applied | undefined)[] = [];
    for (const change of changes) {
      const previous = states.get(change.runId);
      if (previous === undefined || !change.from.includes(previous)) {
        results.push(undefined);
        continue;
      }
      const run = await updateLockedRun(trx, change.runId, change.patch, at);
      states.set(run.id, run.state);
      results.push({ run, previous, source: change.source });
    }
    return results;
  }

  /**
   * Applies each change whose run is still in one of its `from` states, all
   * in one transaction with one event per applied change (in the given
   * order). Returns, per change, the new run or undefined when the run had
   * moved on (someone else decided first): a skipped change writes no event.
   * Changes to the same run apply in turn, each guarded by the state the
   * previous one left.
   */
  async function changeMany(changes: readonly RunChangeRequest[]): Promise<(Run | undefined)[]> {
    if (changes.length === 0) return [];
    const at = deps.clock.now();
    const applied = await deps.db.transaction().execute(async (trx) => {
      // A run changed twice in one call takes its changes one after the other, each seeing the one before.
      const sequential = new Set(changes.map((c) => c.runId)).size < changes.length;
      const results = sequential ? await applyInTurn(trx, changes, at) : await applyTogether(trx, changes, at);
      // Row locks first, the event log's lock last: the order every writer takes them in.
      await appendEvents(trx, results.flatMap((r) => (r ? [eventOf(r, at)] : [])));
      return results;
    });
    for (const result of applied) {
      if (result && result.run.state !== result.previous) {
        deps.onTransition?.({ run: result.run, from: result.previous, to: result.run.state, source: result.source });
      }
    }
    return applied.map((result) => result?.run);
  }

  return {
    /**
     * Stores a new run; undefined when its target is gone. The target row is
     * share-locked while the run is inserted, so a target delete (which locks
     * it for update, then counts the active runs) either sees the run or
     * happened before — never a run left on a deleted target.
     */
    async create(run: Run, claim: { by: string; until: Date } | null): Promise<Run | undefined> {
      const at = deps.clock.now();
      return deps.db.transaction().execute(async (trx) => {
        const target = await trx.selectFrom("targets").select("name").where("name", "=", run.target).forShare().executeTakeFirst();
        if (!target) return undefined;
        const stored = await insertRun(trx, run, claim);
        await appendEvent(trx, { id: newId("evt", deps.clock), type: "run.created", runId: run.id, data: runResource(stored), at });
        return stored;
      });
    },

    /**
     * Applies `patch` if the run is still in one of `from`; returns the new
     * run, or undefined when it had moved on (someone else decided first).
     */
    async change(runId: string, from: readonly RunState[], patch: RunPatch, source: string): Promise<Run | undefined> {
      const [run] = await changeMany([{ runId, from, patch, source }]);
      return run;
    },

    changeMany,
  };
}

export type RunWriter = ReturnType<typeof createRunWriter>;
