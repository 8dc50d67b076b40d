import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

describe("loadConfig", () => {
  it("applies documented defaults", () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DATA_DIR).toBe("./data");
    expect(config.PORT).toBe(8080);
    expect(config.MONITOR_POLL_INTERVAL).toBe(5_000);
    expect(config.IDEMPOTENCY_TTL).toBe(24 * 3_600_000);
    expect(config.BODY_LIMIT).toBe(1024 * 1024);
    expect(config.PGLITE_SHARED_BUFFERS).toBe(16 * 1024 * 1024);
  });

  it("parses durations, sizes and integers", () => {
    const config = loadConfig({ PORT: "0", MONITOR_POLL_INTERVAL: "250ms", BODY_LIMIT: "2mb", DATABASE_URL: "postgres://x@h/db" });
    expect(config.PORT).toBe(0);
    expect(config.MONITOR_POLL_INTERVAL).toBe(250);
    expect(config.BODY_LIMIT).toBe(2 * 1024 * 1024);
    expect(config.DATABASE_URL).toBe("postgres://x@h/db");
  });

  it("treats an empty DATABASE_URL as unset", () => {
    expect(loadConfig({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it("names every bad variable in one error", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "eighty", MONITOR_POLL_INTERVAL: "soon", LOG_LEVEL: "loud", DATABASE_URL: "mysql://x", BOOTSTRAP_ADMIN_TOKEN: "short" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(variables).toEqual(["BOOTSTRAP_ADMIN_TOKEN", "DATABASE_URL", "LOG_LEVEL", "MONITOR_POLL_INTERVAL", "PORT"]);
    expect((error as ConfigError).message).toContain("PORT");
  });

  it("rejects a port out of range rather than falling back", () => {
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: "-1" })).toThrow(/PORT/);
  });

  it("ignores variables it does not know", () => {
    expect(() => loadConfig({ PATH: "/bin", HOME: "/root" })).not.toThrow();
  });
});
