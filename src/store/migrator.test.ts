import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../../test/helpers/database.ts";
import { migrate, readMigrations } from "./migrator.ts";

let database: TestDatabase;
let dir: string;

beforeAll(async () => {
  database = await openTestDatabase({ migrate: false });
  dir = await mkdtemp(path.join(tmpdir(), "fg-migrations-"));
});
afterAll(async () => database.dispose());

describe("migrate", () => {
  it("applies pending migrations once, in order, recording checksums", async () => {
    await writeFile(path.join(dir, "0001_a.sql"), "create table a (id int primary key);");
    await writeFile(path.join(dir, "0002_b.sql"), "create table b (id int primary key); insert into b values (1);");
    const first = await migrate(database.db, dir);
    expect(first).toEqual({ ok: true, applied: ["0001_a.sql", "0002_b.sql"] });
    const second = await migrate(database.db, dir);
    expect(second).toEqual({ ok: true, applied: [] });
    const rows = await database.db.selectFrom("flinkgate_migrations").selectAll().orderBy("version").execute();
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
    expect(rows[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("rolls back a failing migration entirely and reports it", async () => {
    await writeFile(path.join(dir, "0003_bad.sql"), "create table c (id int); select * from no_such_table;");
    const result = await migrate(database.db, dir);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/0003_bad.sql failed/);
    const exists = await sql<{ n: number }>`select count(*)::int as n from pg_tables where schemaname = current_schema() and tablename = 'c'`.execute(database.db);
    expect(exists.rows[0]?.n).toBe(0);
    await writeFile(path.join(dir, "0003_bad.sql"), "create table c (id int);");
    expect(await migrate(database.db, dir)).toEqual({ ok: true, applied: ["0003_bad.sql"] });
  });

  it("refuses to start when an applied migration was edited", async () => {
    await writeFile(path.join(dir, "0001_a.sql"), "create table a (id bigint primary key);");
    const result = await migrate(database.db, dir);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/0001_a.sql was edited after it was applied/);
  });

  it("rejects badly named files", async () => {
    const other = await mkdtemp(path.join(tmpdir(), "fg-migrations-"));
    await writeFile(path.join(other, "first.sql"), "select 1;");
    await expect(readMigrations(other)).rejects.toThrow(/NNNN_name.sql/);
  });

  it("applies each migration exactly once when replicas start together", async () => {
    const fresh = await openTestDatabase({ migrate: false });
    try {
      const results = await Promise.all([migrate(fresh.db), migrate(fresh.db), migrate(fresh.db)]);
      const all = results.flatMap((r) => (r.ok ? r.applied : [`error: ${r.error}`]));
      const files = await readMigrations();
      expect(all.sort()).toEqual(files.map((f) => f.name).sort());
    } finally {
      await fresh.dispose();
    }
  });
});
