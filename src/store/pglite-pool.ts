import type { PGlite } from "@electric-sql/pglite";

/**
 * Presents one PGlite instance as the small part of `pg.Pool` that kysely's
 * PostgresDialect uses, so both databases go through the same driver,
 * transactions and savepoints. PGlite is a single connection: a transaction
 * must own it from BEGIN to COMMIT, so `connect()` hands it out to one caller
 * at a time (a FIFO mutex) until `release()`.
 */
export interface PgLikeClient {
  query(sql: string, params?: readonly unknown[]): Promise<{ command: string; rowCount: number; rows: unknown[] }>;
  release(): void;
}

export class PgliteConnectionPool {
  private readonly waiters: Array<() => void> = [];
  private busy = false;

  constructor(private readonly pglite: PGlite) {}

  async connect(): Promise<PgLikeClient> {
    if (this.busy) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.busy = true;
    let released = false;
    return {
      query: (sql, params) => this.query(sql, params ?? []),
      release: () => {
        if (released) return;
        released = true;
        const next = this.waiters.shift();
        if (next) next();
        else this.busy = false;
      },
    };
  }

  async end(): Promise<void> {
    await this.pglite.close();
  }

  get waitingCount(): number {
    return this.waiters.length;
  }

  private async query(sql: string, params: readonly unknown[]) {
    const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? "";
    if (params.length === 0) {
      // The simple query protocol accepts several statements (migrations),
      // like pg does for a parameterless query.
      const results = await this.pglite.exec(sql);
      const last = results.at(-1);
      return { command, rowCount: last?.affectedRows ?? 0, rows: last?.rows ?? [] };
    }
    const result = await this.pglite.query(sql, [...params]);
    return { command, rowCount: result.affectedRows ?? 0, rows: result.rows };
  }
}
