import { mkdir } from "node:fs/promises";
import path from "node:path";
import v8 from "node:v8";
import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { PgliteConnectionPool } from "./pglite-pool.ts";
import type { Database } from "./schema.ts";

export type DatabaseKind = "postgres" | "pglite";

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Connections in use / idle / callers waiting, for the pool gauge. */
  poolStats(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL; when absent, PGlite is used. */
  url?: string | undefined;
  /** Where PGlite keeps its files; absent means in memory (tests). */
  dataDir?: string | undefined;
  poolSize?: number;
  /** Put every table in this schema (tests on a shared server). */
  schema?: string | undefined;
  /**
   * PGlite's `shared_buffers`, bytes (default 16 MiB; PostgreSQL's own 128 MiB
   * would be most of the process's memory). Pages it does not hold are read
   * from the data directory's files, which the OS caches outside the process.
   */
  pgliteSharedBuffers?: number;
}

/** PGlite's own start parameters (`PGlite.defaultStartParams`, which `startParams` replaces), plus the buffer size. */
function pgliteStartParams(sharedBuffers: number): string[] {
  return [...PGlite.defaultStartParams, "-c", `shared_buffers=${Math.max(128, Math.floor(sharedBuffers / 1024))}kB`];
}

// int8 (count(*), sequences) arrives as a string from pg and a bigint from
// PGlite; flinkgate's int8 values (seq, counts) stay far below 2^53.
const INT8_OID = pgliteTypes.INT8;
const parseInt8 = (value: string) => Number(value);

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) return openPostgres(options.url, options);
  return openPglite(options);
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // Kept across monitor ticks rather than closed after pg's default 10 s idle and opened again.
    idleTimeoutMillis: 60_000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on("error", () => undefined);
  if (options.schema) {
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    } finally {
      client.release();
    }
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: "postgres",
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => db.destroy(),
  };
}

async function openPglite(options: DatabaseOptions): Promise<DatabaseHandle> {
  // PostgreSQL's WebAssembly is compiled by the optimizing compiler only, as its
  // functions are first called: V8's baseline code for it, kept beside the
  // optimized code of the hot functions, was some 40 MB of the process's memory.
  // The flag is read when a module is compiled, so setting it here is in time.
  v8.setFlagsFromString("--no-liftoff");
  let dataDir: string | undefined;
  if (options.dataDir) {
    dataDir = path.resolve(options.dataDir, "pglite");
    await mkdir(dataDir, { recursive: true });
  }
  const pglite = await PGlite.create(dataDir, {
    parsers: { [pgliteTypes.INT8]: parseInt8 },
    startParams: pgliteStartParams(options.pgliteSharedBuffers ?? 16 * 2 ** 20),
  });
  if (options.schema) await pglite.exec(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"; SET search_path TO "${options.schema}"`);
  const pool = new PgliteConnectionPool(pglite);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
  return {
    db,
    kind: "pglite",
    poolStats: () => ({ total: 1, idle: pool.waitingCount === 0 ? 1 : 0, waiting: pool.waitingCount }),
    close: () => db.destroy(),
  };
}

/** Cheap liveness probe used by /readyz. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
