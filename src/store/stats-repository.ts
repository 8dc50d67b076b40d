import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.ts";

/** Runs per (state, target), for the runs gauge. */
export async function countRunsByState(db: Kysely<Database>): Promise<Array<{ state: string; target: string; count: number }>> {
  const rows = await db
    .selectFrom("runs")
    .select(["state", "target", sql<number>`count(*)::int`.as("count")])
    .groupBy(["state", "target"])
    .execute();
  return rows;
}

/** Size of the event log and its newest seq. */
export async function eventLogStats(db: Kysely<Database>): Promise<{ count: number; newestSeq: number }> {
  const row = await db
    .selectFrom("events")
    .select([sql<number>`count(*)::int`.as("count"), sql<number>`coalesce(max(seq), 0)::bigint`.as("newestSeq")])
    .executeTakeFirstOrThrow();
  return { count: row.count, newestSeq: Number(row.newestSeq) };
}
