import { Counter, Gauge } from "prom-client";
import type { Registry } from "prom-client";
import { BoundedLabel, runStateLabel } from "./labels.ts";

/**
 * Gauges read from the database or the pool when Prometheus scrapes, through
 * injected functions, so metrics/ never imports the store. Without a source a
 * gauge has no series (Prometheus then shows "no data" rather than a false 0);
 * the matching `set…` helper can push values instead.
 */
export interface RunCountRow {
  state: string;
  target: string;
  count: number;
}

export interface EventLogStats {
  count: number;
  /** `seq` of the newest event; null while the log is empty. */
  newestSeq: number | bigint | null;
}

export interface DbPoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface MetricSources {
  countRunsByState?: () => Promise<RunCountRow[]>;
  eventLogStats?: () => Promise<EventLogStats>;
  dbPoolStats?: () => DbPoolStats;
}

/**
 * Calls made while one is in flight share its promise: prom-client reads all
 * families of a scrape concurrently, and the two event-log gauges must come
 * from one query, not two that may disagree.
 */
function shareInFlight<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= read().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}

export function createScrapeGauges(registry: Registry, targets: BoundedLabel) {
  const sources: MetricSources = {};
  const registers = [registry];
  const failures: string[] = [];
  const failed = (collector: string) => failures.push(collector);
  // Reads of the current scrape; the failure counter waits for them so a
  // failure shows in the scrape it happened in, not the next one.
  const reading = new Set<Promise<unknown>>();
  // The failure is recorded inside the tracked promise, before it settles.
  const track = <T>(collector: string, read: Promise<T>): Promise<T> => {
    const p = read.catch((error: unknown) => {
      failed(collector);
      throw error;
    });
    reading.add(p);
    void p.then(
      () => reading.delete(p),
      () => reading.delete(p),
    );
    return p;
  };

  const runs = new Gauge({
    name: "flinkgate_runs",
    help: "Runs by normalized state and target, as counted in the database at scrape time.",
    labelNames: ["state", "target"] as const,
    registers,
    async collect() {
      const read = sources.countRunsByState;
      if (!read) return;
      try {
        // Through then(), so a reader that throws synchronously counts as a failure too.
        setRunsByState(await track("runs", Promise.resolve().then(read)));
      } catch {
        runs.reset();
      }
    },
  });
  const setRunsByState = (rows: readonly RunCountRow[]) => {
    runs.reset();
    // Several raw rows may fold into one series (an unknown state becomes
    // `other`), so counts are added, not set.
    for (const row of rows) {
      runs.inc({ state: runStateLabel(row.state), target: targets.value(row.target) }, row.count);
    }
  };

  const readEventLog = shareInFlight(async () => track("event_log", Promise.resolve().then(() => sources.eventLogStats?.())));
  const eventLog = (name: string, help: string, pick: (s: EventLogStats) => number | null) => {
    const gauge: Gauge = new Gauge({
      name,
      help,
      registers,
      async collect() {
        if (!sources.eventLogStats) return;
        try {
          const stats = await readEventLog();
          if (stats) setOrRemove(gauge, pick(stats));
        } catch {
          gauge.remove();
        }
      },
    });
    gauge.remove();
    return gauge;
  };
  const eventLogEvents = eventLog("flinkgate_event_log_events", "Events in the event log.", (s) => s.count);
  const eventLogNewestSeq = eventLog(
    "flinkgate_event_log_newest_seq",
    "Sequence number of the newest event in the event log.",
    (s) => (s.newestSeq === null ? null : Number(s.newestSeq)),
  );
  const setEventLog = (stats: EventLogStats) => {
    setOrRemove(eventLogEvents, stats.count);
    setOrRemove(eventLogNewestSeq, stats.newestSeq === null ? null : Number(stats.newestSeq));
  };

  const pool = (name: string, help: string, pick: (s: DbPoolStats) => number) => {
    const gauge: Gauge = new Gauge({
      name,
      help,
      registers,
      collect() {
        if (!sources.dbPoolStats) return;
        try {
          gauge.set(pick(sources.dbPoolStats()));
        } catch {
          gauge.remove();
          if (name === "flinkgate_db_pool_connections") failed("db_pool");
        }
      },
    });
    gauge.remove();
    return gauge;
  };
  const poolTotal = pool("flinkgate_db_pool_connections", "Open connections in the database pool.", (s) => s.total);
  const poolIdle = pool("flinkgate_db_pool_idle_connections", "Idle connections in the database pool.", (s) => s.idle);
  const poolWaiting = pool(
    "flinkgate_db_pool_waiting_requests",
    "Queries waiting for a free connection in the database pool.",
    (s) => s.waiting,
  );
  const setDbPool = (stats: DbPoolStats) => {
    poolTotal.set(stats.total);
    poolIdle.set(stats.idle);
    poolWaiting.set(stats.waiting);
  };

  // Registered last, so every read above has started when its collect runs.
  const collectFailures: Counter<"collector"> = new Counter({
    name: "flinkgate_metrics_collect_failures_total",
    help: "Scrape-time reads (run counts, event log, pool stats) that failed; their series are left out of that scrape.",
    labelNames: ["collector"] as const,
    registers,
    async collect() {
      await Promise.allSettled([...reading]);
      for (const collector of failures.splice(0)) collectFailures.inc({ collector });
    },
  });

  return {
    gauges: { runs, collectFailures, eventLogEvents, eventLogNewestSeq, poolTotal, poolIdle, poolWaiting },
    setSources: (next: MetricSources) => Object.assign(sources, next),
    setRunsByState,
    setEventLog,
    setDbPool,
  };
}

function setOrRemove(gauge: Gauge, value: number | null): void {
  if (value === null || !Number.isFinite(value)) gauge.remove();
  else gauge.set(value);
}
