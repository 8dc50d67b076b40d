import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { loadConfig } from "../src/config/config.ts";
import { TERMINAL_STATES } from "../src/domain/run-state.ts";
import type { Run } from "../src/domain/run.ts";
import type { Target } from "../src/domain/target.ts";
import { createGateway, type Gateway } from "../src/gateway.ts";
import { createLogger } from "../src/logging/logger.ts";
import { type DatabaseHandle, openDatabase } from "../src/store/database.ts";
import { serveRpc } from "./child-rpc.ts";
import { startCpuProfile } from "./cpu-profile.ts";
import type { Sighting } from "./detection.ts";
import type { EmulatorUrls } from "./emulator-process.ts";
import { seedGateway } from "./seed-gateway.ts";
import { type LoopResult, measureTicks } from "./tick-loop.ts";

/**
 * The gateway under measurement, in its own process (forked by
 * bench/monitor.ts) the way it runs in production: its CPU time and RSS
 * are its own, not the bench's scenario data or the emulator's.
 *
 * A first process `prepare`s the database (PGlite's initdb, migrations, the
 * seeded targets and runs) and exits; a second one `start`s the gateway over
 * it, as a gateway restarts over its existing data directory: initdb and
 * seeding happen once in its life and are not part of the monitor's steady
 * state, so their garbage must not count in the measured process's RSS.
 */
export interface GatewayPrepare {
  /** PostgreSQL; absent means PGlite in a fresh data directory. */
  databaseUrl: string | undefined;
  intervalMs: number;
  urls: EmulatorUrls;
  runs: Run[];
  plan: Record<string, unknown>;
}

export interface Prepared {
  kind: string;
  location: string;
  dataDir: string;
  /** The PostgreSQL schema holding the tables; absent on PGlite. */
  schema: string | undefined;
  targets: Target[];
}

export interface GatewayStart {
  databaseUrl: string | undefined;
  intervalMs: number;
  dataDir: string;
  schema: string | undefined;
}

export interface ActiveRun {
  target: string;
  flink_job_id: string;
  yarn_application_id: string | null;
}

let gateway: Gateway | undefined;
let database: DatabaseHandle | undefined;
let dataDir: string | undefined;
let schema: string | undefined;
// The monitor's own detection-latency samples (what feeds flinkgate_detection_latency_seconds), unbucketed.
const histogramSamples: number[] = [];

const db = () => database!.db;

/** Opens the database in `dataDir` / `schema` and creates the gateway over it (migrations run if pending). */
async function open(databaseUrl: string | undefined, intervalMs: number): Promise<void> {
  // The gateway's own settings from the environment (PGLITE_SHARED_BUFFERS, MONITOR_*), the bench's where it needs its own.
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "error", MONITOR_POLL_INTERVAL: `${intervalMs}ms`, ...(databaseUrl && { DATABASE_URL: databaseUrl }) });
  database = await openDatabase({ url: config.DATABASE_URL, dataDir, schema, pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS });
  gateway = await createGateway(config, { database, logger: createLogger({ level: "error" }) });
}

serveRpc({
  /** A fresh database, migrated and seeded, left in place for `start`'s process. */
  async prepare(opts: GatewayPrepare): Promise<Prepared> {
    dataDir = await mkdtemp(path.join(tmpdir(), "flinkgate-bench-"));
    schema = opts.databaseUrl ? `bench_monitor_${process.pid}` : undefined;
    await open(opts.databaseUrl, opts.intervalMs);
    const targets = await seedGateway(db(), opts.urls, opts.runs, opts.plan, new Date());
    const prepared = { kind: database!.kind, location: schema ? `schema ${schema}` : dataDir, dataDir, schema, targets };
    await gateway!.stop();
    await database!.close();
    // Handed over to the next process: this one's stop (on disconnect) must not delete it.
    gateway = undefined;
    database = undefined;
    dataDir = undefined;
    schema = undefined;
    return prepared;
  },

  /** The gateway over the prepared database; this process owns it from now on and deletes it on stop. */
  async start(opts: GatewayStart): Promise<void> {
    dataDir = opts.dataDir;
    schema = opts.schema;
    await open(opts.databaseUrl, opts.intervalMs);
    const observe = gateway!.metrics.observeDetectionLatency.bind(gateway!.metrics);
    gateway!.metrics.observeDetectionLatency = (record) => {
      histogramSamples.push(record.seconds * 1000);
      observe(record);
    };
  },

  /** Monitor ticks at the poll interval for `durationMs` (or `maxTicks`), measured in this process. */
  async poll(opts: { controlUrl: string; intervalMs: number; durationMs: number | null; maxTicks?: number; cpuProfile?: string }): Promise<LoopResult> {
    const stopProfile = opts.cpuProfile ? await startCpuProfile() : undefined;
    const loop = await measureTicks({
      tick: () => gateway!.monitor.tick(),
      controlUrl: opts.controlUrl,
      intervalMs: opts.intervalMs,
      durationMs: opts.durationMs ?? Number.POSITIVE_INFINITY,
      maxTicks: opts.maxTicks,
    });
    if (stopProfile && opts.cpuProfile) await stopProfile(opts.cpuProfile);
    return loop;
  },

  activeRuns(): Promise<ActiveRun[]> {
    return db().selectFrom("runs").select(["target", "flink_job_id", "yarn_application_id"]).where("state", "not in", TERMINAL_STATES).execute();
  },

  /** Ends and restarts the monitor recorded since `since` (epoch ms), from the event log. */
  async sightings({ since }: { since: number }): Promise<Sighting[]> {
    const events = await db()
      .selectFrom("events")
      .select(["type", "created_at", "data"])
      .where("created_at", ">=", new Date(since))
      .where("type", "in", ["run.state_changed", "run.updated"])
      .execute();
    return events.flatMap((e) => {
      const data = e.data as { flinkJobId: string; to?: string; flinkState: string | null };
      const at = e.created_at.getTime();
      const seen: Sighting[] = [];
      if (e.type === "run.state_changed" && data.to && TERMINAL_STATES.includes(data.to as never)) seen.push({ jobId: data.flinkJobId, state: data.to, at });
      if (data.flinkState === "RESTARTING") seen.push({ jobId: data.flinkJobId, state: "RESTARTING", at });
      return seen;
    });
  },

  histogramSamples: (): number[] => histogramSamples,

  async stop() {
    await gateway?.stop();
    if (schema && database) await sql.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).execute(db()).catch(() => undefined);
    await database?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    gateway = undefined;
    database = undefined;
  },
});
