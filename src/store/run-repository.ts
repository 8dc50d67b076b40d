import { type Kysely, type Selectable, sql, type Transaction, type Updateable } from "kysely";
import type { MonitoredRun, Run, RunSpec, YarnStatus } from "../domain/run.ts";
import type { FinalStateSource, RunMode, RunState } from "../domain/run-state.ts";
import { createInterner } from "./interner.ts";
import type { Database, RunsTable } from "./schema.ts";

type YarnColumns = Pick<Selectable<RunsTable>, "yarn_application_id" | "yarn_tag" | "yarn_state" | "yarn_final_status" | "yarn_diagnostics" | "yarn_am_address">;

/** Target names and states: a few distinct values over thousands of rows. */
const intern = createInterner();
const internOrNull = (value: string | null) => (value === null ? null : intern(value));

function yarnStatusOf(row: YarnColumns): YarnStatus {
  return {
    applicationId: row.yarn_application_id,
    tag: row.yarn_tag,
    state: internOrNull(row.yarn_state),
    finalStatus: internOrNull(row.yarn_final_status),
    diagnostics: row.yarn_diagnostics,
    amAddress: row.yarn_am_address,
  };
}

export function toRun(row: Omit<Selectable<RunsTable>, "plan" | "claimed_by" | "claimed_until">): Run {
  return {
    id: row.id,
    jobName: row.job_name,
    jobVersion: row.job_version,
    target: row.target,
    mode: row.mode as RunMode,
    spec: row.spec as unknown as RunSpec,
    state: row.state as RunState,
    flinkState: row.flink_state,
    flinkJobId: row.flink_job_id,
    yarn: yarnStatusOf(row),
    jarId: row.jar_id,
    finalStateSource: row.final_state_source as FinalStateSource | null,
    restarts: row.restarts,
    lastSavepoint: row.last_savepoint,
    lastCheckpoint: row.last_checkpoint as Run["lastCheckpoint"],
    failureCause: row.failure_cause,
    callbackUrl: row.callback_url,
    labels: row.labels,
    createdAt: row.created_at,
    submittedAt: row.submitted_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    updatedAt: row.updated_at,
    unseenSince: row.unseen_since,
  };
}

/** The columns a change to a run may set (everything but its identity). */
export type RunPatch = Partial<{
  state: RunState;
  flinkState: string | null;
  yarnApplicationId: string | null;
  yarnState: string | null;
  yarnFinalStatus: string | null;
  yarnDiagnostics: string | null;
  yarnAmAddress: string | null;
  jarId: string | null;
  finalStateSource: FinalStateSource | null;
  restarts: number;
  lastSavepoint: string | null;
  lastCheckpoint: Run["lastCheckpoint"];
  failureCause: string | null;
  plan: Record<string, unknown> | null;
  submittedAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  unseenSince: Date | null;
}>;

const COLUMN: { [K in keyof Required<RunPatch>]: keyof RunsTable } = {
  state: "state",
  flinkState: "flink_state",
  yarnApplicationId: "yarn_application_id",
  yarnState: "yarn_state",
  yarnFinalStatus: "yarn_final_status",
  yarnDiagnostics: "yarn_diagnostics",
  yarnAmAddress: "yarn_am_address",
  jarId: "jar_id",
  finalStateSource: "final_state_source",
  restarts: "restarts",
  lastSavepoint: "last_savepoint",
  lastCheckpoint: "last_checkpoint",
  failureCause: "failure_cause",
  plan: "plan",
  submittedAt: "submitted_at",
  startedAt: "started_at",
  endedAt: "ended_at",
  unseenSince: "unseen_since",
};

const JSON_COLUMNS = new Set(["last_checkpoint", "plan"]);

/** SQL types of the columns a patch sets: the VALUES list of a batched update casts to them. */
const COLUMN_TYPE: Partial<Record<keyof RunsTable, string>> = {
  restarts: "integer",
  last_checkpoint: "jsonb",
  plan: "jsonb",
  submitted_at: "timestamptz",
  started_at: "timestamptz",
  ended_at: "timestamptz",
  unseen_since: "timestamptz",
};

export function toRunUpdate(patch: RunPatch, at: Date): Updateable<RunsTable> {
  const update: Record<string, unknown> = { updated_at: at };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const column = COLUMN[key as keyof RunPatch];
    update[column] = JSON_COLUMNS.has(column) && value !== null ? JSON.stringify(value) : value;
  }
  return update as Updateable<RunsTable>;
}

export async function insertRun(db: Kysely<Database>, run: Run, claim: { by: string; until: Date } | null): Promise<Run> {
  const row = await db
    .insertInto("runs")
    .values({
      id: run.id,
      job_name: run.jobName,
      job_version: run.jobVersion,
      target: run.target,
      mode: run.mode,
      spec: JSON.stringify(run.spec),
      state: run.state,
      flink_job_id: run.flinkJobId,
      yarn_tag: run.yarn.tag,
      yarn_application_id: run.yarn.applicationId,
      callback_url: run.callbackUrl,
      labels: JSON.stringify(run.labels),
      created_at: run.createdAt,
      updated_at: run.updatedAt,
      claimed_by: claim?.by ?? null,
      claimed_until: claim?.until ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRun(row);
}

export async function findRun(db: Kysely<Database>, id: string): Promise<Run | undefined> {
  const row = await db.selectFrom("runs").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toRun(row);
}

export async function findRunPlan(db: Kysely<Database>, id: string): Promise<{ plan: Record<string, unknown> | null } | undefined> {
  return db.selectFrom("runs").select("plan").where("id", "=", id).executeTakeFirst();
}

export interface RunFilter {
  states?: RunState[] | undefined;
  job?: string | undefined;
  target?: string | undefined;
  labels?: Record<string, string> | undefined;
}

/** Newest first; `before` is the last id of the previous page. */
export async function listRuns(db: Kysely<Database>, filter: RunFilter, page: { limit: number; before: string | undefined }): Promise<Run[]> {
  let query = db.selectFrom("runs").selectAll().orderBy("id", "desc").limit(page.limit);
  if (filter.states && filter.states.length > 0) query = query.where("state", "in", filter.states);
  if (filter.job !== undefined) query = query.where("job_name", "=", filter.job);
  if (filter.target !== undefined) query = query.where("target", "=", filter.target);
  if (filter.labels && Object.keys(filter.labels).length > 0) {
    query = query.where("labels", "@>", JSON.stringify(filter.labels) as never);
  }
  if (page.before !== undefined) query = query.where("id", "<", page.before);
  return (await query.execute()).map(toRun);
}

/** Takes the submission claim of a run when nobody holds it (or the holder's claim expired). */
export async function claimRun(db: Kysely<Database>, id: string, by: string, now: Date, until: Date): Promise<Run | undefined> {
  const row = await db
    .updateTable("runs")
    .set({ claimed_by: by, claimed_until: until })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", now), eb("claimed_by", "=", by)]))
    .returningAll()
    .executeTakeFirst();
  return row && toRun(row);
}

export async function releaseRunClaim(db: Kysely<Database>, id: string, by: string): Promise<void> {
  await db.updateTable("runs").set({ claimed_by: null, claimed_until: null }).where("id", "=", id).where("claimed_by", "=", by).execute();
}

/** Runs whose submission never completed and that nobody is working on. */
export async function listUnsubmittedRuns(db: Kysely<Database>, now: Date, limit: number): Promise<Run[]> {
  const rows = await db
    .selectFrom("runs")
    .selectAll()
    .where("state", "in", ["PENDING", "SUBMITTING"])
    .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", now)]))
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map(toRun);
}

/** Run states the monitor does not watch: ended, or not submitted yet. */
export const UNWATCHED_STATES: readonly RunState[] = ["FINISHED", "FAILED", "CANCELED", "PENDING", "SUBMITTING"];

/** Every column toRun maps; the plan (the largest value) stays in the database. */
const RUN_COLUMNS = [
  "id", "job_name", "job_version", "target", "mode", "spec", "state", "flink_state", "flink_job_id", "yarn_tag", "yarn_application_id",
  "yarn_state", "yarn_final_status", "yarn_diagnostics", "yarn_am_address", "jar_id", "final_state_source", "restarts", "last_savepoint",
  "last_checkpoint", "failure_cause", "callback_url", "labels", "created_at", "submitted_at", "started_at", "ended_at", "updated_at", "unseen_since",
] as const satisfies ReadonlyArray<keyof RunsTable>;

export interface WatchedRunRow {
  run: MonitoredRun;
  hasPlan: boolean;
}

const MONITORED_COLUMNS = [
  "id", "target", "state", "flink_state", "flink_job_id", "yarn_tag", "yarn_application_id", "yarn_state", "yarn_final_status",
  "yarn_diagnostics", "yarn_am_address", "restarts", "last_checkpoint", "created_at", "submitted_at", "started_at", "unseen_since",
] as const satisfies ReadonlyArray<keyof RunsTable>;

function toWatchedRunRow(row: Pick<Selectable<RunsTable>, (typeof MONITORED_COLUMNS)[number]> & { has_plan: unknown }): WatchedRunRow {
  const run: MonitoredRun = {
    id: row.id,
    target: intern(row.target),
    state: intern(row.state) as RunState,
    flinkState: internOrNull(row.flink_state),
    flinkJobId: row.flink_job_id,
    yarn: yarnStatusOf(row),
    restarts: row.restarts,
    lastCheckpoint: row.last_checkpoint as Run["lastCheckpoint"],
    createdAt: row.created_at,
    submittedAt: row.submitted_at,
    startedAt: row.started_at,
    unseenSince: row.unseen_since,
  };
  return { run, hasPlan: Boolean(row.has_plan) };
}

/** The runs of a target the monitor still watches (not FINISHED / FAILED / CANCELED), with whether their plan is stored. */
export async function listActiveRuns(db: Kysely<Database>, target: string): Promise<WatchedRunRow[]> {
  const rows = await db
    .selectFrom("runs")
    .select(MONITORED_COLUMNS)
    .select((eb) => eb("plan", "is not", null).as("has_plan"))
    .where("target", "=", target)
    .where("state", "not in", UNWATCHED_STATES)
    .execute();
  return rows.map(toWatchedRunRow);
}

/** The given runs as the monitor watches them, whatever their state (the caller sorts out the unwatched). */
export async function findWatchedRuns(db: Kysely<Database>, ids: readonly string[]): Promise<WatchedRunRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("runs")
    .select(MONITORED_COLUMNS)
    .select((eb) => eb("plan", "is not", null).as("has_plan"))
    .where("id", "in", ids)
    .execute();
  return rows.map(toWatchedRunRow);
}

/**
 * Locks the given runs (FOR UPDATE, in id order so two writers of overlapping
 * sets cannot deadlock) and returns their current states; a missing run is
 * absent from the map.
 */
export async function lockRunStates(trx: Transaction<Database>, ids: readonly string[]): Promise<Map<string, RunState>> {
  if (ids.length === 0) return new Map();
  const rows = await trx.selectFrom("runs").select(["id", "state"]).where("id", "in", [...new Set(ids)]).orderBy("id").forUpdate().execute();
  return new Map(rows.map((row) => [row.id, row.state as RunState]));
}

/**
 * Applies each change whose run is in one of its `from` states, all in one
 * statement, as a busy monitor tick writes dozens of state and checkpoint
 * changes per target: the runs are locked (FOR UPDATE, in id order, so two
 * writers of overlapping sets cannot deadlock), each guard is checked on the
 * locked row, and each patch sets its own columns (a column it does not set
 * keeps its value). Returns the updated runs with the state each was in
 * before, by id; a run missing or in another state is absent. Each id at
 * most once. The plan is not read back.
 */
export async function updateRunsInStates(
  trx: Transaction<Database>,
  changes: ReadonlyArray<{ id: string; from: readonly RunState[]; patch: RunPatch }>,
  at: Date,
): Promise<Map<string, { run: Run; previous: RunState }>> {
  if (changes.length === 0) return new Map();
  const sets = changes.map((c) => toRunUpdate(c.patch, at) as Record<string, unknown>);
  const columns = [...new Set(sets.flatMap((set) => Object.keys(set)))].filter((c) => c !== "updated_at");
  const cast = (column: string, value: unknown) => sql`${value}::${sql.raw(COLUMN_TYPE[column as keyof RunsTable] ?? "text")}`;
  // Per column, whether this change sets it and to what: null is a value a patch may set.
  const rows = changes.map((change, i) => {
    const set = sets[i] as Record<string, unknown>;
    const cells = columns.flatMap((c) => (c in set ? [sql`true`, cast(c, set[c])] : [sql`false`, cast(c, null)]));
    return sql`(${sql.join([sql`${change.id}`, sql`${change.from.join(",")}`, ...cells])})`;
  });
  const isSet = (c: string) => sql.ref(`${c}?`);
  const { rows: changed } = await sql<Parameters<typeof toRun>[0] & { previous: RunState }>`
    with locked as (select id, state from runs where id in (${sql.join([...new Set(changes.map((c) => c.id))])}) order by id for update)
    update runs set updated_at = ${at}${sql.join(
      columns.map((c) => sql`, ${sql.ref(c)} = case when v.${isSet(c)} then v.${sql.ref(c)} else runs.${sql.ref(c)} end`),
      sql``,
    )}
    from (values ${sql.join(rows)}) as v (id, from_states${sql.join(
      columns.map((c) => sql`, ${isSet(c)}, ${sql.ref(c)}`),
      sql``,
    )}), locked
    where runs.id = v.id and locked.id = v.id and locked.state = any(string_to_array(v.from_states, ','))
    returning ${sql.join(RUN_COLUMNS.map((c) => sql.ref(`runs.${c}`)))}, locked.state as previous`.execute(trx);
  return new Map(changed.map((row) => [row.id, { run: toRun(row), previous: row.previous }]));
}

/** Applies `patch` to a run the caller has locked; the plan is not read back. */
export async function updateLockedRun(trx: Transaction<Database>, id: string, patch: RunPatch, at: Date): Promise<Run> {
  const row = await trx.updateTable("runs").set(toRunUpdate(patch, at)).where("id", "=", id).returning(RUN_COLUMNS).executeTakeFirstOrThrow();
  return toRun(row);
}
