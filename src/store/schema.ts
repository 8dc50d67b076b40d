import type { ColumnType } from "kysely";

/**
 * Row types of the tables created by migrations/*.sql. Keep in step with the
 * SQL: a column added there is added here in the same change.
 */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
/** A timestamp column with a database default. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface MigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: DefaultedTimestamp;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  scopes: Json<string[]>;
  token_hash: string;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface IdempotencyKeysTable {
  principal: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  state: "in_flight" | "done";
  locked_at: Timestamp;
  response_status: number | null;
  response_headers: Json<Record<string, string>> | null;
  response_body: string | null;
  created_at: DefaultedTimestamp;
  expires_at: Timestamp;
}


export interface TargetsTable {
  name: string;
  kind: "session" | "yarn";
  spec: Json<Record<string, unknown>>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface ArtifactsTable {
  id: string;
  sha256: string;
  file_name: string;
  size_bytes: number;
  created_at: DefaultedTimestamp;
}

export interface SessionJarsTable {
  target: string;
  sha256: string;
  jar_id: string;
  uploaded_at: DefaultedTimestamp;
}

export interface JobsTable {
  name: string;
  latest_version: number;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  deleted_at: Timestamp | null;
}

export interface JobVersionsTable {
  job_name: string;
  version: number;
  spec: Json<Record<string, unknown>>;
  created_at: DefaultedTimestamp;
}

export interface RunsTable {
  id: string;
  job_name: string | null;
  job_version: number | null;
  target: string;
  mode: "session" | "per-job" | "application";
  spec: Json<Record<string, unknown>>;
  state: string;
  flink_state: string | null;
  flink_job_id: string;
  yarn_tag: string | null;
  yarn_application_id: string | null;
  yarn_state: string | null;
  yarn_final_status: string | null;
  yarn_diagnostics: string | null;
  yarn_am_address: string | null;
  jar_id: string | null;
  final_state_source: string | null;
  restarts: ColumnType<number, number | undefined, number>;
  last_savepoint: string | null;
  last_checkpoint: Json<Record<string, unknown>> | null;
  failure_cause: string | null;
  callback_url: string | null;
  labels: Json<Record<string, string>>;
  plan: Json<Record<string, unknown>> | null;
  created_at: DefaultedTimestamp;
  submitted_at: Timestamp | null;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
  updated_at: DefaultedTimestamp;
  unseen_since: Timestamp | null;
  claimed_by: string | null;
  claimed_until: Timestamp | null;
}

export interface OperationsTable {
  id: string;
  run_id: string;
  kind: "savepoint" | "stop" | "cancel";
  state: "PENDING" | "RUNNING" | "SUCCEEDED" | "FAILED";
  target_directory: string | null;
  drain: ColumnType<boolean, boolean | undefined, boolean>;
  trigger_id: string | null;
  location: string | null;
  failure_cause: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  ended_at: Timestamp | null;
}

export interface EventsTable {
  seq: ColumnType<number, never, never>;
  id: string;
  type: string;
  run_id: string | null;
  data: Json<Record<string, unknown>>;
  created_at: DefaultedTimestamp;
}

export interface Database {
  flinkgate_migrations: MigrationsTable;
  api_tokens: ApiTokensTable;
  idempotency_keys: IdempotencyKeysTable;
  targets: TargetsTable;
  artifacts: ArtifactsTable;
  session_jars: SessionJarsTable;
  jobs: JobsTable;
  job_versions: JobVersionsTable;
  runs: RunsTable;
  operations: OperationsTable;
  events: EventsTable;
  target_leases: TargetLeasesTable;
  target_health: TargetHealthTable;
}

export interface TargetLeasesTable {
  target: string;
  holder: string;
  expires_at: Timestamp;
}

export interface TargetHealthTable {
  target: string;
  consecutive_failures: number;
  error_count: number;
  last_error: string | null;
  last_error_at: Timestamp | null;
  last_success_at: Timestamp | null;
  updated_at: DefaultedTimestamp;
}
