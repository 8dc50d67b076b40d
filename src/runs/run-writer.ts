import type { Kysely } from "kysely";
import type { Clock } from "../domain/clock.ts";
import { newId } from "../domain/ids.ts";
import type { Run } from "../domain/run.ts";
import { runResource } from "../domain/run-resource.ts";
import type { RunState } from "../domain/run-state.ts";
import { appendEvent } from "../store/event-repository.ts";
import { insertRun, type RunPatch, toRun, toRunUpdate } from "../store/run-repository.ts";
import type { Database } from "../store/schema.ts";

export interface Transition {
  run: Run;
  from: RunState;
  to: RunState;
  /** What decided it: `submission`, `recovery`, `flink`, `history-server`, `yarn`, `api`, … */
  source: string;
}

/**
 * Every write to a run goes through here: the row and its event in one
 * transaction (DESIGN.md "Events out"). A state change is `run.state_changed`
 * with the run plus from / to / source; any other change is `run.updated`.
 */
export function createRunWriter(deps: { db: Kysely<Database>; clock: Clock; onTransition?: (t: Transition) => void }) {
  return {
    async create(run: Run, claim: { by: string; until: Date } | null): Promise<Run> {
      const at = deps.clock.now();
      return deps.db.transaction().execute(async (trx) => {
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
      const at = deps.clock.now();
      const result = await deps.db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom("runs").selectAll().where("id", "=", runId).forUpdate().executeTakeFirst();
        if (!before || !from.includes(before.state as RunState)) return undefined;
        const row = await trx.updateTable("runs").set(toRunUpdate(patch, at)).where("id", "=", runId).returningAll().executeTakeFirstOrThrow();
        const run = toRun(row);
        const previous = before.state as RunState;
        const data = runResource(run);
        if (run.state !== previous) {
          await appendEvent(trx, {
            id: newId("evt", deps.clock),
            type: "run.state_changed",
            runId,
            data: { ...data, from: previous, to: run.state, source },
            at,
          });
        } else {
          await appendEvent(trx, { id: newId("evt", deps.clock), type: "run.updated", runId, data: { ...data, source }, at });
        }
        return { run, previous };
      });
      if (!result) return undefined;
      if (result.run.state !== result.previous) {
        deps.onTransition?.({ run: result.run, from: result.previous, to: result.run.state, source });
      }
      return result.run;
    },
  };
}

export type RunWriter = ReturnType<typeof createRunWriter>;
