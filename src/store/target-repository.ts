import type { Kysely, Selectable } from "kysely";
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

export async function findTarget(db: Kysely<Database>, name: string): Promise<StoredTarget | undefined> {
  const row = await db.selectFrom("targets").selectAll().where("name", "=", name).executeTakeFirst();
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

export async function deleteTarget(db: Kysely<Database>, name: string): Promise<boolean> {
  const result = await db.deleteFrom("targets").where("name", "=", name).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
