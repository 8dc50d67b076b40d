import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { type Kysely, sql } from "kysely";
import { packageRoot } from "../runtime/package-root.ts";
import type { Database } from "./schema.ts";

export const MIGRATIONS_DIR = path.join(packageRoot(), "migrations");

export interface MigrationFile {
  version: number;
  name: string;
  checksum: string;
  sql: string;
}

export type MigrationResult =
  | { ok: true; applied: string[] }
  | { ok: false; applied: string[]; error: string };

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  const migrations: MigrationFile[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) throw new Error(`migration file name '${file}' does not match NNNN_name.sql`);
    const text = await readFile(path.join(dir, file), "utf8");
    migrations.push({
      version: Number(match[1]),
      name: file,
      checksum: createHash("sha256").update(text).digest("hex"),
      sql: text,
    });
  }
  return migrations;
}

/**
 * Applies pending migrations, each in its own transaction, recording a
 * checksum. A session-level advisory lock (keyed by the current schema) makes
 * replicas that start together apply each migration exactly once: the second
 * waits, then finds nothing pending. Returns a result instead of throwing.
 */
export async function migrate(db: Kysely<Database>, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const applied: string[] = [];
  let files: MigrationFile[];
  try {
    files = await readMigrations(dir);
  } catch (error) {
    return { ok: false, applied, error: (error as Error).message };
  }
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext('flinkgate.migrations.' || current_schema()))`.execute(conn);
    try {
      await sql`create table if not exists flinkgate_migrations (
        version integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now())`.execute(conn);
      const done = await conn.selectFrom("flinkgate_migrations").selectAll().orderBy("version").execute();
      const known = new Map(files.map((f) => [f.version, f]));
      for (const row of done) {
        const file = known.get(row.version);
        if (!file) return { ok: false, applied, error: `applied migration ${row.name} is missing from ${dir}` };
        if (file.checksum !== row.checksum) {
          return {
            ok: false,
            applied,
            error: `migration ${row.name} was edited after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk); add a new migration instead`,
          };
        }
      }
      const doneVersions = new Set(done.map((r) => r.version));
      for (const file of files) {
        if (doneVersions.has(file.version)) continue;
        try {
          await conn.transaction().execute(async (trx) => {
            await sql.raw(file.sql).execute(trx);
            await trx
              .insertInto("flinkgate_migrations")
              .values({ version: file.version, name: file.name, checksum: file.checksum })
              .execute();
          });
        } catch (error) {
          return { ok: false, applied, error: `migration ${file.name} failed: ${(error as Error).message}` };
        }
        applied.push(file.name);
      }
      return { ok: true, applied };
    } finally {
      await sql`select pg_advisory_unlock(hashtext('flinkgate.migrations.' || current_schema()))`.execute(conn);
    }
  });
}

/** True when every migration on disk is recorded as applied (for /readyz). */
export async function isMigrated(db: Kysely<Database>, files: MigrationFile[]): Promise<boolean> {
  const rows = await db.selectFrom("flinkgate_migrations").select("version").execute();
  const done = new Set(rows.map((r) => r.version));
  return files.every((f) => done.has(f.version));
}
