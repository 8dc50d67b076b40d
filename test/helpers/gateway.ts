import { pino } from "pino";
import { loadConfig } from "../../src/config/config.ts";
import type { Clock } from "../../src/domain/clock.ts";
import { createGateway, type Gateway } from "../../src/gateway.ts";
import { openTestDatabase, type TestDatabase } from "./database.ts";

export const ADMIN_TOKEN = "test-admin-token-0123456789";

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current = new Date("2026-11-21T12:00:00Z")) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Test responses: bodies are read loosely, since assertions check them. */
export type TestResponse = Omit<Response, "json"> & { json(): Promise<any> };

export interface TestGateway {
  gateway: Gateway;
  database: TestDatabase;
  clock: ManualClock;
  /** `app.request` with the admin token unless `token: null` or another token is given. */
  request(path: string, init?: RequestInit & { token?: string | null; json?: unknown }): Promise<TestResponse>;
  close(): Promise<void>;
}

/** One gateway per test file, on the file's test database; no port is opened. */
export async function openTestGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const database = await openTestDatabase({ migrate: false });
  const clock = new ManualClock();
  const config = loadConfig({ BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: "silent", ...env });
  const gateway = await createGateway(config, { database, clock, logger: pino({ level: "silent" }) });
  return {
    gateway,
    database,
    clock,
    request(path, init = {}) {
      const { token = ADMIN_TOKEN, json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token !== null && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
      let body = rest.body;
      if (json !== undefined) {
        body = JSON.stringify(json);
        if (!headers.has("content-type")) headers.set("content-type", "application/json");
      }
      return Promise.resolve(gateway.app.request(path, { ...rest, headers, body }));
    },
    async close() {
      await gateway.stop();
      await database.dispose();
    },
  };
}
