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

/** Running runs with their restarts and last checkpoint, for the opt-in per-run metrics. */
export async function listRunningRunDetails(db: Kysely<Database>, limit: number) {
  const rows = await db
    .selectFrom("runs")
    .select(["id", "job_name", "target", "restarts", "last_checkpoint"])
    .where("state", "=", "RUNNING")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const completedAt = (r.last_checkpoint as { completedAt?: string } | null)?.completedAt;
    return { runId: r.id, jobName: r.job_name ?? "", target: r.target, restarts: r.restarts, lastCheckpointAt: completedAt ? Date.parse(completedAt) : null };
  });
}
