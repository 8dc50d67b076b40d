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

export interface Database {
  flinkgate_migrations: MigrationsTable;
  api_tokens: ApiTokensTable;
  idempotency_keys: IdempotencyKeysTable;
}
