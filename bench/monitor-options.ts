import { parseArgs } from "node:util";

/**
 * `npm run bench:monitor -- [--quick] [--duration 60] [--interval 5000] …`;
 * each flag also reads BENCH_<NAME> (e.g. BENCH_DURATION=20). A bad value
 * stops the bench with its name rather than falling back to a default.
 */
export interface MonitorBenchOptions {
  clusters: number;
  jobsPerCluster: number;
  yarnApps: number;
  /** Seconds each poller is measured for, state changes streaming. */
  durationS: number;
  intervalMs: number;
  changesPerS: number;
  naiveConcurrency: number;
  restartDelayMs: number;
  skipNaive: boolean;
  /** Write a CPU profile of the monitor's measured ticks here. */
  cpuProfile: string | undefined;
  /** The gateway's database: PostgreSQL at DATABASE_URL, else PGlite. */
  databaseUrl: string | undefined;
}

const NUMERIC = {
  clusters: ["clusters", 50, 50],
  jobsPerCluster: ["jobs-per-cluster", 200, 200],
  yarnApps: ["yarn-apps", 2000, 2000],
  durationS: ["duration", 60, 20],
  intervalMs: ["interval", 5000, 5000],
  changesPerS: ["changes", 10, 10],
  naiveConcurrency: ["naive-concurrency", 16, 16],
  restartDelayMs: ["restart-delay", 10_000, 10_000],
} as const satisfies Record<string, readonly [string, number, number]>;

export function parseMonitorBenchOptions(argv: string[], env: Record<string, string | undefined>): MonitorBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: env.BENCH_QUICK === "1" },
      "skip-naive": { type: "boolean", default: env.BENCH_SKIP_NAIVE === "1" },
      "cpu-prof": { type: "string", default: env.BENCH_CPU_PROF },
      ...Object.fromEntries(Object.values(NUMERIC).map(([flag]) => [flag, { type: "string" as const }])),
    },
  });
  const options = { skipNaive: values["skip-naive"] === true, cpuProfile: values["cpu-prof"], databaseUrl: env.DATABASE_URL || undefined } as MonitorBenchOptions;
  for (const [key, [flag, full, quick]] of Object.entries(NUMERIC)) {
    const raw = (values as Record<string, unknown>)[flag] as string | undefined ?? env[`BENCH_${flag.toUpperCase().replaceAll("-", "_")}`];
    const value = raw === undefined ? (values.quick ? quick : full) : Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${flag} must be a number >= 0, got ${raw}`);
    options[key as keyof typeof NUMERIC] = value;
  }
  return options;
}
