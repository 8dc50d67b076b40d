import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { openDatabase } from "./database.ts";

describe("openDatabase on PGlite", () => {
  it("starts PostgreSQL with the configured shared_buffers and PGlite's own start parameters", async () => {
    const database = await openDatabase({ pgliteSharedBuffers: 24 * 2 ** 20 });
    try {
      const setting = async (name: string) => (await sql<{ value: string }>`select current_setting(${name}) as value`.execute(database.db)).rows[0]?.value;
      expect(await setting("shared_buffers")).toBe("24MB");
      // Kept from PGlite's defaults, which startParams replaces.
      expect(await setting("max_worker_processes")).toBe("0");
      expect(await setting("search_path")).toBe("public");
    } finally {
      await database.close();
    }
  });
});
