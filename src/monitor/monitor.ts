import type { Kysely } from "kysely";
import type { Clock } from "../domain/clock.ts";
import { UpstreamError } from "../domain/errors.ts";
import type { Target } from "../domain/target.ts";
import type { Logger } from "../logging/logger.ts";
import type { RunWriter } from "../runs/run-writer.ts";
import { acquireLeases, recordTargetFailure, recordTargetSuccesses, releaseLeases } from "../store/lease-repository.ts";
import type { Database } from "../store/schema.ts";
import { listAllTargets } from "../store/target-repository.ts";
import { eachLimited } from "./each-limited.ts";
import { groupWrites } from "./grouped-writes.ts";
import type { ReconcileContext } from "./reconcile-context.ts";
import { reconcileSessionTarget } from "./reconcile-session-target.ts";
import { reconcileYarnTarget } from "./reconcile-yarn-target.ts";
import { createRunChangeBatch } from "./run-change-batch.ts";
import type { MonitorSources } from "./sources.ts";
import { createWatchedRuns } from "./watched-runs.ts";

export interface MonitorSettings {
  pollIntervalMs: number;
  steadyEvery: number;
  lostGraceMs: number;
  backoffMaxMs: number;
  leaseMs: number;
  /** Targets reconciled at once. */
  concurrency: number;
}

export interface MonitorObserver {
  observeReconcileTick(record: { target: string; seconds: number }): void;
  observeDetectionLatency(record: { target: string; seconds: number }): void;
  setTargetHealth(record: { target: string; consecutiveFailures: number; leaseHeld: boolean }): void;
}

export interface MonitorDeps {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  sources: MonitorSources;
  writer: RunWriter;
  replicaId: string;
  settings: MonitorSettings;
  observer?: MonitorObserver;
}

/**
 * How long a target's changes wait for those of the targets finishing just
 * after it, to be written in one transaction: a busy tick's writes then take
 * a handful of transactions, at a few tens of milliseconds of detection latency.
 */
const WRITE_LINGER_MS = 40;

interface TargetSchedule {
  tick: number;
  nextDueAt: number;
  failures: number;
}

/**
 * The reconcilers' driver: every tick it renews this replica's target leases
 * and reconciles each held target that is due. Everything that decides a
 * state comes from the database and the upstreams; what is kept in memory
 * (tick counters, back-off times) only schedules reads, and the watched runs
 * are the database's rows, kept current from the event log (watched-runs.ts).
 */
export function createMonitor(deps: MonitorDeps) {
  const { settings } = deps;
  const schedules = new Map<string, TargetSchedule>();
  const watched = createWatchedRuns(deps.db);
  const changeMany = groupWrites(deps.writer.changeMany, WRITE_LINGER_MS);

  /** Returns whether the target's health should be recorded as a success. */
  async function reconcile(target: Target, schedule: TargetSchedule): Promise<boolean> {
    const started = performance.now();
    const now = deps.clock.now();
    const runs = await watched.of(target.name);
    const changes = createRunChangeBatch();
    const ctx: ReconcileContext = {
      now,
      tick: schedule.tick++,
      lostGraceMs: settings.lostGraceMs,
      steadyEvery: settings.steadyEvery,
      write: changes.add,
    };
    const observeDetection = (upstreamTime: number) => {
      const seconds = Math.max(0, deps.clock.now().getTime() - upstreamTime) / 1000;
      deps.observer?.observeDetectionLatency({ target: target.name, seconds });
    };
    try {
      if (runs.length > 0) {
        try {
          if (target.kind === "session") await reconcileSessionTarget(target, runs, deps.sources, ctx);
          else await reconcileYarnTarget(target, runs, deps.sources, ctx);
        } finally {
          // What was learned before a failure is written all the same, as when each change was written at once.
          await changes.write(changeMany, observeDetection);
        }
      }
      schedule.failures = 0;
      schedule.nextDueAt = now.getTime() + settings.pollIntervalMs;
      return runs.length > 0;
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      // A transport error changes no run: back off and count it (DESIGN.md "The false alarm").
      schedule.failures = await recordTargetFailure(deps.db, target.name, error.message, now);
      const backoff = Math.min(settings.pollIntervalMs * 2 ** schedule.failures, settings.backoffMaxMs);
      schedule.nextDueAt = now.getTime() + backoff;
      deps.logger.warn({ target: target.name, failures: schedule.failures, backoffMs: backoff, err: error.message }, "target unreachable; backing off");
      return false;
    } finally {
      deps.observer?.observeReconcileTick({ target: target.name, seconds: (performance.now() - started) / 1000 });
      deps.observer?.setTargetHealth({ target: target.name, consecutiveFailures: schedule.failures, leaseHeld: true });
    }
  }

  return {
    /** One pass: renew leases, reconcile the held targets that are due. */
    async tick(): Promise<void> {
      const now = deps.clock.now();
      const targets = await listAllTargets(deps.db);
      const held = await acquireLeases(deps.db, deps.replicaId, targets.map((t) => t.name), now, new Date(now.getTime() + settings.leaseMs));
      for (const name of schedules.keys()) {
        if (!held.has(name)) {
          schedules.delete(name);
          watched.forget(name);
          deps.observer?.setTargetHealth({ target: name, consecutiveFailures: 0, leaseHeld: false });
        }
      }
      await watched.refresh();
      const due = targets.filter((t) => {
        if (!held.has(t.name)) return false;
        let schedule = schedules.get(t.name);
        if (!schedule) schedules.set(t.name, (schedule = { tick: 0, nextDueAt: 0, failures: 0 }));
        // Ticks start a poll interval apart, a little after this target was
        // last reconciled: due times are rounded to the nearest tick, or a
        // target would be due just after a tick and wait for the next.
        return schedule.nextDueAt <= now.getTime() + settings.pollIntervalMs / 2;
      });
      const succeeded: string[] = [];
      await eachLimited(due, settings.concurrency, async (target) => {
        try {
          if (await reconcile(target, schedules.get(target.name) as TargetSchedule)) succeeded.push(target.name);
        } catch (error) {
          deps.logger.error({ err: error, target: target.name }, "reconcile failed");
        }
      });
      // One statement for the tick rather than one per target: on the embedded database each costs about a millisecond.
      await recordTargetSuccesses(deps.db, succeeded, now);
    },

    /** Lets the other replicas take this one's targets at once. */
    async release(): Promise<void> {
      await releaseLeases(deps.db, deps.replicaId);
    },
  };
}

export type Monitor = ReturnType<typeof createMonitor>;
