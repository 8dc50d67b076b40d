import type { Kysely } from "kysely";
import type { Clock } from "../domain/clock.ts";
import { newId } from "../domain/ids.ts";
import { appendEvent } from "../store/event-repository.ts";
import { type Operation, type OperationKind, type OperationState, operationResource, toOperation } from "../store/operation-repository.ts";
import type { Database } from "../store/schema.ts";

export interface OperationPatch {
  state?: OperationState;
  triggerId?: string;
  location?: string;
  failureCause?: string;
}

/** Operation rows and their events (`operation.created`, `operation.state_changed`), each in one transaction. */
export function createOperationWriter(deps: { db: Kysely<Database>; clock: Clock; onEnded?: (op: Operation) => void }) {
  return {
    async create(input: { runId: string; kind: OperationKind; targetDirectory: string | null; drain: boolean }): Promise<Operation> {
      const at = deps.clock.now();
      return deps.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto("operations")
          .values({
            id: newId("op", deps.clock),
            run_id: input.runId,
            kind: input.kind,
            state: "PENDING",
            target_directory: input.targetDirectory,
            drain: input.drain,
            created_at: at,
            updated_at: at,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const op = toOperation(row);
        await appendEvent(trx, { id: newId("evt", deps.clock), type: "operation.created", runId: op.runId, data: operationResource(op), at });
        return op;
      });
    },

    /** Applies the patch unless the operation already ended. */
    async change(id: string, patch: OperationPatch): Promise<Operation | undefined> {
      const at = deps.clock.now();
      const ended = patch.state === "SUCCEEDED" || patch.state === "FAILED";
      const op = await deps.db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom("operations").select("state").where("id", "=", id).forUpdate().executeTakeFirst();
        if (!before || before.state === "SUCCEEDED" || before.state === "FAILED") return undefined;
        const row = await trx
          .updateTable("operations")
          .set({
            updated_at: at,
            ...(patch.state ? { state: patch.state } : {}),
            ...(patch.triggerId ? { trigger_id: patch.triggerId } : {}),
            ...(patch.location ? { location: patch.location } : {}),
            ...(patch.failureCause ? { failure_cause: patch.failureCause } : {}),
            ...(ended ? { ended_at: at } : {}),
          })
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirstOrThrow();
        const changed = toOperation(row);
        if (patch.state && patch.state !== before.state) {
          await appendEvent(trx, {
            id: newId("evt", deps.clock),
            type: "operation.state_changed",
            runId: changed.runId,
            data: { ...operationResource(changed), from: before.state, to: changed.state },
            at,
          });
        }
        return changed;
      });
      if (op && ended) deps.onEnded?.(op);
      return op;
    },
  };
}

export type OperationWriter = ReturnType<typeof createOperationWriter>;
