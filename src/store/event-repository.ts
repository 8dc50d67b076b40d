import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { Database, EventsTable } from "./schema.ts";

export interface StoredEvent {
  id: string;
  seq: number;
  type: string;
  runId: string | null;
  timestamp: Date;
  data: Record<string, unknown>;
}

export function toStoredEvent(row: Selectable<EventsTable>): StoredEvent {
  return { id: row.id, seq: row.seq, type: row.type, runId: row.run_id, timestamp: row.created_at, data: row.data };
}

/** What a writer appends; the seq is given by the database. */
export interface NewEvent {
  id: string;
  type: string;
  runId: string | null;
  data: Record<string, unknown>;
  at: Date;
}

/**
 * A bigserial alone does not give commit order (a transaction holding seq 10
 * can commit after one holding 11, and a reader of `after=10` would skip it),
 * so writers take this transaction-scoped advisory lock before inserting:
 * seq order is then commit order. Take it after any row locks the
 * transaction needs, as every writer does, so lock order is the same everywhere.
 */
async function lockEventLog(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('flinkgate.events'))`.execute(trx);
}

const toRow = (event: NewEvent) => ({ id: event.id, type: event.type, run_id: event.runId, data: JSON.stringify(event.data), created_at: event.at });

/** Appends an event inside the caller's transaction (see lockEventLog). */
export async function appendEvent(trx: Transaction<Database>, event: NewEvent): Promise<StoredEvent> {
  await lockEventLog(trx);
  const row = await trx.insertInto("events").values(toRow(event)).returningAll().executeTakeFirstOrThrow();
  return toStoredEvent(row);
}

/**
 * Appends several events with one lock and one multi-row insert; their seqs
 * follow the array's order.
 */
export async function appendEvents(trx: Transaction<Database>, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await lockEventLog(trx);
  await trx.insertInto("events").values(events.map(toRow)).execute();
}

export async function listEvents(
  db: Kysely<Database>,
  query: { afterSeq: number; limit: number; types?: string[] | undefined; runId?: string | undefined },
): Promise<StoredEvent[]> {
  let q = db.selectFrom("events").selectAll().where("seq", ">", query.afterSeq).orderBy("seq").limit(query.limit);
  if (query.types && query.types.length > 0) q = q.where("type", "in", query.types);
  if (query.runId !== undefined) q = q.where("run_id", "=", query.runId);
  return (await q.execute()).map(toStoredEvent);
}

/** The newest event's seq (0 on an empty log). */
export async function lastEventSeq(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom("events").select((eb) => eb.fn.max("seq").as("seq")).executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/** The runs named by events after `afterSeq`, and the newest seq seen (seq order is commit order: see appendEvent). */
export async function runsChangedSince(db: Kysely<Database>, afterSeq: number): Promise<{ runIds: string[]; lastSeq: number }> {
  const rows = await db.selectFrom("events").select(["seq", "run_id"]).where("seq", ">", afterSeq).orderBy("seq").execute();
  const runIds = new Set<string>();
  for (const row of rows) if (row.run_id !== null) runIds.add(row.run_id);
  return { runIds: [...runIds], lastSeq: rows.at(-1)?.seq ?? afterSeq };
}
