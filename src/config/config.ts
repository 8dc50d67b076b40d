import { hostname } from "node:os";
import { z } from "zod";
import { parseByteSize, parseDuration } from "./duration.ts";

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) {
        ctx.addIssue({ code: "custom", message: `'${text}' is not a duration (e.g. 500ms, 5s, 10m, 24h)` });
        return z.NEVER;
      }
      return ms;
    });

const byteSize = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const bytes = parseByteSize(text);
      if (bytes === undefined || bytes <= 0) {
        ctx.addIssue({ code: "custom", message: `'${text}' is not a size (e.g. 512kb, 1mb, 2gb)` });
        return z.NEVER;
      }
      return bytes;
    });

const integer = (fallback: string, min: number, max: number) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const n = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `'${text}' is not an integer between ${min} and ${max}` });
        return z.NEVER;
      }
      return n;
    });

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

/**
 * Every setting flinkgate reads from the environment, with its default.
 * The README's configuration table documents the same list.
 */
export const configSchema = z.object({
  DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: "must be a postgres:// or postgresql:// URL",
  }),
  DATABASE_POOL_SIZE: integer("10", 1, 200),
  DATA_DIR: z.string().min(1).default("./data"),
  PGLITE_SHARED_BUFFERS: byteSize("16mb"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: integer("8080", 0, 65535),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  BOOTSTRAP_ADMIN_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, {
    message: "must be at least 16 characters",
  }),
  REPLICA_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  BODY_LIMIT: byteSize("1mb"),
  ARTIFACT_MAX_SIZE: byteSize("512mb"),
  IDEMPOTENCY_TTL: duration("24h"),
  IDEMPOTENCY_LOCK_TIMEOUT: duration("60s"),
  SHUTDOWN_TIMEOUT: duration("25s"),
  MONITOR_POLL_INTERVAL: duration("5s"),
  MONITOR_STEADY_EVERY: integer("6", 1, 1000),
  MONITOR_LOST_GRACE: duration("10m"),
  MONITOR_BACKOFF_MAX: duration("2m"),
  MONITOR_LEASE_DURATION: duration("30s"),
  UPSTREAM_TIMEOUT: duration("10s"),
  SUBMISSION_CLAIM_TIMEOUT: duration("2m"),
  RECOVERY_INTERVAL: duration("5s"),
  OPERATION_POLL_INTERVAL: duration("1s"),
  OPERATION_TIMEOUT: duration("30m"),
  MONITOR_CONCURRENCY: integer("8", 1, 256),
  FLINK_CLI_TIMEOUT: duration("5m"),
  METRICS_PER_RUN_DETAIL: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
  METRICS_PER_RUN_LIMIT: integer("100", 1, 10_000),
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  readonly problems: Array<{ variable: string; message: string }>;
  constructor(problems: Array<{ variable: string; message: string }>) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join("; ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Pure: reads only the object it is given. Throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined) input[key] = value;
  }
  const parsed = configSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? "?"), message: issue.message })),
  );
}
