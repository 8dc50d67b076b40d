import type { Kysely, Selectable } from "kysely";
import type { Database, OperationsTable } from "./schema.ts";

export type OperationKind = "savepoint" | "stop" | "cancel";
export type OperationState = "PENDING" | "RUNNING" | "SUCCEEDED" | "FAILED";

export interface Operation {
  id: string;
  runId: string;
  kind: OperationKind;
  state: OperationState;
  targetDirectory: string | null;
  drain: boolean;
  triggerId: string | null;
  location: string | null;
  failureCause: string | null;
  createdAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
}

export function toOperation(row: Selectable<OperationsTable>): Operation {
  return {
    id: row.id,
    runId: row.run_id,
    kind: row.kind,
    state: row.state,
    targetDirectory: row.target_directory,
    drain: row.drain,
    triggerId: row.trigger_id,
    location: row.location,
    failureCause: row.failure_cause,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    endedAt: row.ended_at,
  };
}

export function operationResource(op: Operation) {
  return {
    id: op.id,
    runId: op.runId,
    kind: op.kind,
    state: op.state,
    targetDirectory: op.targetDirectory,
    drain: op.drain,
    triggerId: op.triggerId,
    location: op.location,
    failureCause: op.failureCause,
    createdAt: op.createdAt.toISOString(),
    updatedAt: op.updatedAt.toISOString(),
    endedAt: op.endedAt?.toISOString() ?? null,
  };
}

export async function findOperation(db: Kysely<Database>, id: string): Promise<Operation | undefined> {
  const row = await db.selectFrom("operations").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toOperation(row);
}

/** Operations still in progress, oldest first (the follower's work list). */
export async function listOpenOperations(db: Kysely<Database>, limit: number): Promise<Operation[]> {
  const rows = await db.selectFrom("operations").selectAll().where("state", "in", ["PENDING", "RUNNING"]).orderBy("id").limit(limit).execute();
  return rows.map(toOperation);
}

/** An operation of this kind on the run that has not ended yet (one at a time per kind). */
export async function findOpenOperation(db: Kysely<Database>, runId: string): Promise<Operation | undefined> {
  const row = await db
    .selectFrom("operations")
    .selectAll()
    .where("run_id", "=", runId)
    .where("state", "in", ["PENDING", "RUNNING"])
    .orderBy("id")
    .executeTakeFirst();
  return row && toOperation(row);
}
