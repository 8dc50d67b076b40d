import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { createArtifactService } from "./artifacts/artifact-service.ts";
import { createTokenService } from "./auth/token-service.ts";
import type { Config } from "./config/config.ts";
import { type Clock, systemClock } from "./domain/clock.ts";
import { UpstreamError } from "./domain/errors.ts";
import { createApp } from "./http/app.ts";
import type { Readiness } from "./http/routes/health.ts";
import { createJobService } from "./jobs/job-service.ts";
import { createLogger, type Logger, redactUrl } from "./logging/logger.ts";
import { setHeapGrowth } from "./runtime/heap-growth.ts";
import { IntervalLoop } from "./runtime/interval-loop.ts";
import { type DatabaseHandle, openDatabase, pingDatabase } from "./store/database.ts";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  purgeExpiredIdempotencyKeys,
  releaseIdempotencyKey,
} from "./store/idempotency-repository.ts";
import { createMetrics } from "./metrics/metrics.ts";
import { isMigrated, migrate, readMigrations } from "./store/migrator.ts";
import { countRunsByState, eventLogStats, listRunningRunDetails } from "./store/stats-repository.ts";
import { createTargetService } from "./targets/target-service.ts";
import { artifactPath } from "./artifacts/artifact-store.ts";
import { launcherFor } from "./launch/create-launcher.ts";
import { createJobControl } from "./launch/job-control.ts";
import { createLaunchClients } from "./launch/launch-clients.ts";
import { defaultResourceStat } from "./launch/resource-stat.ts";
import { createMonitor } from "./monitor/monitor.ts";
import { createUpstreamSources } from "./monitor/upstream-sources.ts";
import { createOperationService } from "./runs/operation-service.ts";
import { createOperationWriter } from "./runs/operation-writer.ts";
import { createRunService } from "./runs/run-service.ts";
import { createRunWriter } from "./runs/run-writer.ts";
import { createJarCache } from "./store/session-jar-repository.ts";

export interface GatewayOptions {
  logger?: Logger;
  clock?: Clock;
  /** An already open database (tests); the gateway then leaves closing it to the caller. */
  database?: DatabaseHandle;
  /** Reported in flinkgate_build_info. */
  version?: string;
}

export class StartupError extends Error {
  override name = "StartupError";
}

/**
 * The composition root: the only place that wires every module together.
 * Opening the gateway migrates the database; `start()` listens and starts the
 * background loops; `stop()` undoes both, finishing in-flight requests first.
 */
export async function createGateway(config: Config, options: GatewayOptions = {}) {
  setHeapGrowth();
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL });
  const clock = options.clock ?? systemClock;
  const ownsDatabase = !options.database;
  const database =
    options.database ??
    (await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.DATABASE_POOL_SIZE, pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS }));
  logger.info(
    { database: database.kind, location: config.DATABASE_URL ? redactUrl(config.DATABASE_URL) : config.DATA_DIR },
    "database opened",
  );

  const migration = await migrate(database.db);
  if (!migration.ok) {
    if (ownsDatabase) await database.close();
    throw new StartupError(`database migration failed: ${migration.error}`);
  }
  if (migration.applied.length > 0) logger.info({ applied: migration.applied }, "migrations applied");
  const migrationFiles = await readMigrations();

  const { db } = database;
  const idempotencyOptions = { ttlMs: config.IDEMPOTENCY_TTL, lockTimeoutMs: config.IDEMPOTENCY_LOCK_TIMEOUT };
  const tokens = createTokenService({ db, clock, bootstrapAdminToken: config.BOOTSTRAP_ADMIN_TOKEN });
  const targets = createTargetService({ db, clock });
  const jobs = createJobService({ db, clock });
  const artifacts = createArtifactService({ db, clock, dataDir: config.DATA_DIR, maxUploadBytes: config.ARTIFACT_MAX_SIZE });

  async function readiness(): Promise<Readiness> {
    try {
      await pingDatabase(db);
    } catch {
      return { database: "unreachable", migrations: "unknown" };
    }
    try {
      return { database: "ok", migrations: (await isMigrated(db, migrationFiles)) ? "ok" : "pending" };
    } catch {
      return { database: "ok", migrations: "unknown" };
    }
  }

  const metrics = createMetrics({
    version: options.version ?? "dev",
    replica: config.REPLICA_ID,
    perRunDetail: config.METRICS_PER_RUN_DETAIL,
    perRunLimit: config.METRICS_PER_RUN_LIMIT,
    sources: {
      countRunsByState: () => countRunsByState(db),
      eventLogStats: () => eventLogStats(db),
      dbPoolStats: () => database.poolStats(),
    },
  });

  const clients = createLaunchClients({ http: { timeoutMs: config.UPSTREAM_TIMEOUT } });
  const runWriter = createRunWriter({ db, clock, onTransition: (t) => metrics.recordTransition(t.from, t.to, t.run.target) });
  const jarCache = createJarCache(db, clock);
  const runs = createRunService({
    db,
    clock,
    writer: runWriter,
    logger: logger.child({ module: "runs" }),
    launcherFor: (target, mode) =>
      launcherFor(target, mode, {
        clients,
        jarCache,
        cliTimeoutMs: config.FLINK_CLI_TIMEOUT,
        stat: defaultResourceStat({ timeoutMs: config.UPSTREAM_TIMEOUT, ...(target.kind === "yarn" && target.webHdfsUrl ? { webHdfsUrl: target.webHdfsUrl } : {}) }),
      }),
    artifactPath: (sha256) => artifactPath(config.DATA_DIR, sha256),
    replicaId: config.REPLICA_ID,
    // A Flink CLI may work for FLINK_CLI_TIMEOUT before the application exists:
    // the claim must outlast it, or recovery would find nothing and submit again.
    claimTimeoutMs: Math.max(config.SUBMISSION_CLAIM_TIMEOUT, config.FLINK_CLI_TIMEOUT + 5_000),
    onSubmitted: (record) => metrics.observeSubmission(record),
  });
  const operations = createOperationService({
    db,
    clock,
    runs: runWriter,
    operations: createOperationWriter({
      db,
      clock,
      onEnded: (op) =>
        metrics.observeOperation({ kind: op.kind, outcome: op.state === "SUCCEEDED" ? "succeeded" : "failed", seconds: (clock.now().getTime() - op.createdAt.getTime()) / 1000 }),
    }),
    control: createJobControl({ clients }),
    logger: logger.child({ module: "operations" }),
    timeoutMs: config.OPERATION_TIMEOUT,
  });
  const monitor = createMonitor({
    db,
    clock,
    logger: logger.child({ module: "monitor" }),
    sources: createUpstreamSources(clients, ({ target, upstream, ok, error }) =>
      metrics.recordUpstreamRequest(ok ? { target, upstream, outcome: "success" } : { target, upstream, outcome: "error", kind: upstreamErrorKind(error) }),
    ),
    writer: runWriter,
    replicaId: config.REPLICA_ID,
    settings: {
      pollIntervalMs: config.MONITOR_POLL_INTERVAL,
      steadyEvery: config.MONITOR_STEADY_EVERY,
      lostGraceMs: config.MONITOR_LOST_GRACE,
      backoffMaxMs: config.MONITOR_BACKOFF_MAX,
      leaseMs: config.MONITOR_LEASE_DURATION,
      concurrency: config.MONITOR_CONCURRENCY,
    },
    observer: metrics,
  });

  const app = createApp({
    logger,
    clock,
    tokens,
    readiness,
    metrics,
    bodyLimitBytes: config.BODY_LIMIT,
    targets,
    jobs,
    artifacts,
    runs,
    operations,
    idempotency: {
      claim: (request) => claimIdempotencyKey(db, request, clock.now(), idempotencyOptions),
      complete: (request, response) => completeIdempotencyKey(db, request, response),
      release: (request) => releaseIdempotencyKey(db, request),
    },
  });

  const loops = [
    new IntervalLoop(
      "idempotency-purge",
      Math.min(config.IDEMPOTENCY_TTL, 15 * 60_000),
      async () => {
        const purged = await purgeExpiredIdempotencyKeys(db, clock.now());
        if (purged > 0) logger.debug({ purged }, "expired idempotency keys purged");
      },
      logger,
    ),
    new IntervalLoop("submission-recovery", config.RECOVERY_INTERVAL, async () => void (await runs.recover()), logger),
    new IntervalLoop("operations", config.OPERATION_POLL_INTERVAL, () => operations.follow(), logger),
    // Fixed rate: a change is seen within one poll interval of happening, however long the ticks take.
    new IntervalLoop("monitor", config.MONITOR_POLL_INTERVAL, () => monitor.tick(), logger, { fixedRate: true }),
    ...(config.METRICS_PER_RUN_DETAIL
      ? [
          new IntervalLoop("run-detail-metrics", config.MONITOR_POLL_INTERVAL, async () => {
            // One more than the cap, so the metric can count what it drops.
            metrics.setRunDetails(await listRunningRunDetails(db, config.METRICS_PER_RUN_LIMIT + 1));
          }, logger),
        ]
      : []),
  ];

  let server: ServerType | undefined;

  return {
    app,
    database,
    logger,
    metrics,
    runs,
    operations,
    monitor,

    async start(): Promise<{ url: string }> {
      const address = await new Promise<AddressInfo>((resolve, reject) => {
        server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, resolve);
        server.once("error", reject);
      });
      for (const loop of loops) loop.start();
      const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
      const url = `http://${host}:${address.port}`;
      logger.info({ url }, "flinkgate listening");
      return { url };
    },

    async stop(): Promise<void> {
      const current = server;
      server = undefined;
      if (current) await closeServer(current, config.SHUTDOWN_TIMEOUT, logger);
      await Promise.all(loops.map((loop) => loop.stop()));
      await monitor.release().catch((error: unknown) => logger.warn({ err: error }, "could not release target leases"));
      await clients.close();
      if (ownsDatabase) await database.close();
      logger.info("flinkgate stopped");
    },
  };
}

export type Gateway = Awaited<ReturnType<typeof createGateway>>;

/** Stops accepting, lets in-flight requests finish, then cuts whatever is left after the timeout. */
async function closeServer(server: ServerType, timeoutMs: number, logger: Logger): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  if ("closeIdleConnections" in server) server.closeIdleConnections();
  const timer = setTimeout(() => {
    logger.warn({ timeoutMs }, "in-flight requests did not finish in time; closing their connections");
    if ("closeAllConnections" in server) server.closeAllConnections();
  }, timeoutMs);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}

/** The bounded `kind` label of a failed upstream request. */
function upstreamErrorKind(error: unknown): "timeout" | "connection" | "http_4xx" | "http_5xx" | "invalid_response" | "other" {
  if (!(error instanceof UpstreamError)) return "other";
  switch (error.failure) {
    case "timeout":
      return "timeout";
    case "refused":
    case "reset":
    case "standby":
      return "connection";
    case "server-error":
      return "http_5xx";
    case "rejected":
    case "not-found":
      return "http_4xx";
    case "bad-response":
    case "redirected":
      return "invalid_response";
    default:
      return "other";
  }
}
