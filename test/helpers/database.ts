import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "../../src/store/database.ts";
import { migrate } from "../../src/store/migrator.ts";

/**
 * One database per test file: an in-memory PGlite by default, or a fresh
 * schema on the server named by TEST_DATABASE_URL. `reset()` empties every
 * table between tests; `dispose()` drops the schema.
 */
export interface TestDatabase extends DatabaseHandle {
  url: string | undefined;
  schema: string | undefined;
  reset(): Promise<void>;
  dispose(): Promise<void>;
}

export function testDatabaseUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL;
  return url && url.trim() !== "" ? url : undefined;
}

export function newSchemaName(): string {
  return `t_${randomBytes(6).toString("hex")}`;
}

export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const url = testDatabaseUrl();
  const schema = url ? newSchemaName() : undefined;
  const handle = await openDatabase({ url, schema, poolSize: 5 });
  if (options.migrate !== false) {
    const result = await migrate(handle.db);
    if (!result.ok) throw new Error(result.error);
  }
  return {
    ...handle,
    url,
    schema,
    async reset() {
      const tables = await sql<{ tablename: string }>`
        select tablename from pg_tables
        where schemaname = current_schema() and tablename <> 'flinkgate_migrations'`.execute(handle.db);
      if (tables.rows.length === 0) return;
      const list = tables.rows.map((t) => `"${t.tablename}"`).join(", ");
      await sql.raw(`truncate ${list} restart identity cascade`).execute(handle.db);
    },
    async dispose() {
      if (schema) await sql.raw(`drop schema if exists "${schema}" cascade`).execute(handle.db);
      await handle.close();
    },
  };
}

/**
 * Database settings for gateway processes started by a test: a fresh schema
 * on TEST_DATABASE_URL's server (reached through the connection's
 * search_path), else a PGlite data directory; `cleanup()` removes either.
 * Several processes given the same settings share the database.
 */
export async function processDatabaseEnv(): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  const url = testDatabaseUrl();
  if (!url) {
    const dataDir = await mkdtemp(path.join(tmpdir(), "flinkgate-data-"));
    return { env: { DATA_DIR: dataDir }, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const schema = newSchemaName();
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create schema ${schema}`);
  const withSchema = new URL(url);
  withSchema.searchParams.set("options", `-c search_path=${schema}`);
  return { env: { DATABASE_URL: withSchema.toString() }, cleanup: () => admin(`drop schema ${schema} cascade`) };
}
