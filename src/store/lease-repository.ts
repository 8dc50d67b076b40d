import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.ts";

/**
 * Takes or renews leases on the given targets for `holder`, returning the
 * ones it now holds. One statement: a lease is taken when it is free,
 * expired, or already ours; a live lease of another replica is left alone.
 */
export async function acquireLeases(db: Kysely<Database>, holder: string, targets: string[], now: Date, until: Date): Promise<Set<string>> {
  if (targets.length === 0) return new Set();
  const rows = await db
    .insertInto("target_leases")
    .values(targets.map((target) => ({ target, holder, expires_at: until })))
    .onConflict((oc) =>
      oc.column("target").doUpdateSet({ holder, expires_at: until }).where((eb) =>
        eb.or([eb("target_leases.holder", "=", holder), eb("target_leases.expires_at", "<", now)]),
      ),
    )
    .returning("target")
    .execute();
  return new Set(rows.map((r) => r.target));
}

/** Gives up this replica's leases (clean shutdown) so others take over at once. */
export async function releaseLeases(db: Kysely<Database>, holder: string): Promise<void> {
  await db.deleteFrom("target_leases").where("holder", "=", holder).execute();
}

/** The leases on the given targets, live or expired, by target. */
export async function findLeases(db: Kysely<Database>, targets: string[]): Promise<Map<string, { holder: string; expiresAt: Date }>> {
  if (targets.length === 0) return new Map();
  const rows = await db.selectFrom("target_leases").selectAll().where("target", "in", targets).execute();
  return new Map(rows.map((r) => [r.target, { holder: r.holder, expiresAt: r.expires_at }]));
}

export interface TargetHealth {
  consecutiveFailures: number;
  errorCount: number;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastSuccessAt: Date | null;
}

/** Records a successful reconcile of each target (one statement for a whole tick's worth). */
export async function recordTargetSuccesses(db: Kysely<Database>, targets: readonly string[], at: Date): Promise<void> {
  if (targets.length === 0) return;
  await db
    .insertInto("target_health")
    .values(targets.map((target) => ({ target, consecutive_failures: 0, error_count: 0, last_success_at: at, updated_at: at })))
    .onConflict((oc) => oc.column("target").doUpdateSet({ consecutive_failures: 0, last_success_at: at, updated_at: at }))
    .execute();
}

/** Counts a transport failure; returns how many happened in a row. */
export async function recordTargetFailure(db: Kysely<Database>, target: string, error: string, at: Date): Promise<number> {
  const row = await db
    .insertInto("target_health")
    .values({ target, consecutive_failures: 1, error_count: 1, last_error: error, last_error_at: at, updated_at: at })
    .onConflict((oc) =>
      oc.column("target").doUpdateSet({
        consecutive_failures: sql`target_health.consecutive_failures + 1`,
        error_count: sql`target_health.error_count + 1`,
        last_error: error,
        last_error_at: at,
        updated_at: at,
      }),
    )
    .returning("consecutive_failures")
    .executeTakeFirstOrThrow();
  return row.consecutive_failures;
}

/** Health rows of the given targets, by target (absent: never reconciled). */
export async function findTargetHealths(db: Kysely<Database>, targets: string[]): Promise<Map<string, TargetHealth>> {
  if (targets.length === 0) return new Map();
  const rows = await db.selectFrom("target_health").selectAll().where("target", "in", targets).execute();
  return new Map(
    rows.map((row) => [
      row.target,
      {
        consecutiveFailures: row.consecutive_failures,
        errorCount: row.error_count,
        lastError: row.last_error,
        lastErrorAt: row.last_error_at,
        lastSuccessAt: row.last_success_at,
      },
    ]),
  );
}
