import type { Insertable, Kysely } from "kysely";
import type { Database, RunsTable } from "../../src/store/schema.ts";

/** A bare runs row for tests that only need one to exist (target deletion, job deletion). */
export async function insertRunRow(
  db: Kysely<Database>,
  row: Pick<Insertable<RunsTable>, "id" | "target" | "state"> & Partial<Insertable<RunsTable>>,
): Promise<void> {
  const nulls = {
    job_name: null, job_version: null, flink_state: null, yarn_tag: null, yarn_application_id: null, yarn_state: null,
    yarn_final_status: null, yarn_diagnostics: null, yarn_am_address: null, jar_id: null, final_state_source: null,
    last_savepoint: null, last_checkpoint: null, failure_cause: null, callback_url: null, plan: null, submitted_at: null,
    started_at: null, ended_at: null, unseen_since: null, claimed_by: null, claimed_until: null,
  };
  const flinkJobId = Buffer.from(row.id).toString("hex").padEnd(32, "0").slice(0, 32);
  await db
    .insertInto("runs")
    .values({ ...nulls, mode: "session", spec: JSON.stringify({}), labels: JSON.stringify({}), flink_job_id: flinkJobId, ...row })
    .execute();
}
