import type { Kysely } from "kysely";
import { type JobSpec, jobSpecSchema } from "../domain/job.ts";
import type { Database } from "./schema.ts";

export interface JobVersion {
  name: string;
  version: number;
  spec: JobSpec;
  createdAt: Date;
  /** When the job itself was first created. */
  jobCreatedAt: Date;
}

function baseQuery(db: Kysely<Database>) {
  return db
    .selectFrom("job_versions as v")
    .innerJoin("jobs as j", "j.name", "v.job_name")
    .select(["v.job_name", "v.version", "v.spec", "v.created_at", "j.created_at as job_created_at"]);
}

type Row = { job_name: string; version: number; spec: Record<string, unknown>; created_at: Date; job_created_at: Date };

function toJobVersion(row: Row): JobVersion {
  return { name: row.job_name, version: row.version, spec: jobSpecSchema.parse(row.spec), createdAt: row.created_at, jobCreatedAt: row.job_created_at };
}

export async function findLatestJob(db: Kysely<Database>, name: string): Promise<JobVersion | undefined> {
  const row = await baseQuery(db)
    .whereRef("v.version", "=", "j.latest_version")
    .where("j.name", "=", name)
    .where("j.deleted_at", "is", null)
    .executeTakeFirst();
  return row && toJobVersion(row);
}

export async function findJobVersion(db: Kysely<Database>, name: string, version: number): Promise<JobVersion | undefined> {
  const row = await baseQuery(db).where("v.job_name", "=", name).where("v.version", "=", version).executeTakeFirst();
  return row && toJobVersion(row);
}

export async function listLatestJobs(db: Kysely<Database>, page: { limit: number; after: string | undefined }): Promise<JobVersion[]> {
  let query = baseQuery(db).whereRef("v.version", "=", "j.latest_version").where("j.deleted_at", "is", null).orderBy("j.name").limit(page.limit);
  if (page.after !== undefined) query = query.where("j.name", ">", page.after);
  return (await query.execute()).map(toJobVersion);
}

/**
 * Creates the job (version 1), or adds a version when `mode` is `upsert` and
 * the spec differs from the latest. A deleted job's name is taken again with
 * its version numbers continuing, so (name, version) never means two things.
 * Returns undefined for `create` when a live job already has the name.
 */
export async function saveJob(
  db: Kysely<Database>,
  name: string,
  spec: JobSpec,
  at: Date,
  mode: "create" | "upsert",
): Promise<{ job: JobVersion; created: boolean; changed: boolean } | undefined> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("jobs").selectAll().where("name", "=", name).forUpdate().executeTakeFirst();
    if (existing && existing.deleted_at === null) {
      if (mode === "create") return undefined;
      const latest = await findJobVersion(trx, name, existing.latest_version);
      if (latest && canonicalJson(latest.spec) === canonicalJson(spec)) return { job: latest, created: false, changed: false };
    }
    const version = existing ? existing.latest_version + 1 : 1;
    if (existing) {
      await trx.updateTable("jobs").set({ latest_version: version, updated_at: at, deleted_at: null }).where("name", "=", name).execute();
    } else {
      await trx.insertInto("jobs").values({ name, latest_version: version, created_at: at, updated_at: at }).execute();
    }
    await trx.insertInto("job_versions").values({ job_name: name, version, spec: JSON.stringify(spec), created_at: at }).execute();
    const job = await findJobVersion(trx, name, version);
    if (!job) throw new Error(`job ${name} v${version} vanished inside its transaction`);
    return { job, created: !existing || existing.deleted_at !== null, changed: true };
  });
}

/** Every version of a job, newest first; `before` is the version the previous page ended with. */
export async function listJobVersions(
  db: Kysely<Database>,
  name: string,
  page: { limit: number; before: number | undefined },
): Promise<JobVersion[]> {
  let query = baseQuery(db).where("v.job_name", "=", name).orderBy("v.version", "desc").limit(page.limit);
  if (page.before !== undefined) query = query.where("v.version", "<", page.before);
  return (await query.execute()).map(toJobVersion);
}

/**
 * JSON with object keys sorted. jsonb hands objects back with its own key
 * order (shorter keys first), so a stored spec and the same spec as sent
 * differ in JSON.stringify order once labels or flinkConfig hold two keys.
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export async function deleteJob(db: Kysely<Database>, name: string, at: Date): Promise<boolean> {
  const result = await db.updateTable("jobs").set({ deleted_at: at }).where("name", "=", name).where("deleted_at", "is", null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
