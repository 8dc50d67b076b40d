import type { Kysely, Selectable } from "kysely";
import { TERMINAL_STATES } from "../domain/run-state.ts";
import { type Target, targetSchema } from "../domain/target.ts";
import type { Database, TargetsTable } from "./schema.ts";

export interface StoredTarget {
  target: Target;
  createdAt: Date;
  updatedAt: Date;
}

export function toStoredTarget(row: Selectable<TargetsTable>): StoredTarget {
  // The spec was validated on the way in; parsing again applies defaults added since.
  return { target: targetSchema.parse({ ...row.spec, name: row.name, kind: row.kind }), createdAt: row.created_at, updatedAt: row.updated_at };
}

function specOf(target: Target): string {
  const { name: _name, kind: _kind, ...spec } = target;
  return JSON.stringify(spec);
}

/** Inserts; returns undefined when the name is taken. */
export async function insertTarget(db: Kysely<Database>, target: Target, at: Date): Promise<StoredTarget | undefined> {
  const row = await db
    .insertInto("targets")
    .values({ name: target.name, kind: target.kind, spec: specOf(target), created_at: at, updated_at: at })
    .onConflict((oc) => oc.column("name").doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && toStoredTarget(row);
}

/** `forUpdate` locks the row until the surrounding transaction ends (read-modify-write). */
export async function findTarget(db: Kysely<Database>, name: string, options: { forUpdate?: boolean } = {}): Promise<StoredTarget | undefined> {
  let query = db.selectFrom("targets").selectAll().where("name", "=", name);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toStoredTarget(row);
}

export async function listTargets(db: Kysely<Database>, page: { limit: number; after: string | undefined }): Promise<StoredTarget[]> {
  let query = db.selectFrom("targets").selectAll().orderBy("name").limit(page.limit);
  if (page.after !== undefined) query = query.where("name", ">", page.after);
  return (await query.execute()).map(toStoredTarget);
}

export async function updateTarget(db: Kysely<Database>, target: Target, at: Date): Promise<StoredTarget | undefined> {
  const row = await db
    .updateTable("targets")
    .set({ spec: specOf(target), updated_at: at })
    .where("name", "=", target.name)
    .returningAll()
    .executeTakeFirst();
  return row && toStoredTarget(row);
}

/** Runs on this target that have not reached a terminal state (LOST counts: the job may still be running). */
export async function countActiveRuns(db: Kysely<Database>, target: string): Promise<number> {
  const row = await db
    .selectFrom("runs")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("target", "=", target)
    .where("state", "not in", TERMINAL_STATES)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Deletes a target that no active run uses. The target row is locked first so
 * two deletes (or a delete and an update) serialize; the check and the delete
 * see the same runs.
 */
export async function deleteIdleTarget(
  db: Kysely<Database>,
  name: string,
): Promise<{ kind: "deleted" } | { kind: "not-found" } | { kind: "in-use"; activeRuns: number }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("targets").select("name").where("name", "=", name).forUpdate().executeTakeFirst();
    if (!row) return { kind: "not-found" as const };
    const activeRuns = await countActiveRuns(trx, name);
    if (activeRuns > 0) return { kind: "in-use" as const, activeRuns };
    await trx.deleteFrom("targets").where("name", "=", name).execute();
    return { kind: "deleted" as const };
  });
}

/** Every target (the monitor's work list; targets are few). */
export async function listAllTargets(db: Kysely<Database>): Promise<Target[]> {
  const rows = await db.selectFrom("targets").selectAll().orderBy("name").execute();
  return rows.map((row) => toStoredTarget(row).target);
}
