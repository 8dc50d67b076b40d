import type { MonitoredRun } from "../domain/run.ts";
import type { RunPatch } from "../store/run-repository.ts";
import { decideRunChange } from "./decide-run-change.ts";
import type { Evidence } from "./evidence.ts";

export interface WatchedRun {
  run: MonitoredRun;
  hasPlan: boolean;
}

/** What a reconciler needs besides its sources: time, settings, and where changes go. */
export interface ReconcileContext {
  now: Date;
  /** This target's tick number (adaptive job-detail rate). */
  tick: number;
  lostGraceMs: number;
  /** Job detail of a steady YARN run is read every Nth tick. */
  steadyEvery: number;
  /** Records a change; the target's changes are written together after the tick (run-change-batch.ts). */
  write(run: MonitoredRun, patch: RunPatch, source: string, upstreamTime: number | undefined): void;
}

/** Decides one run's change and records it; nothing is recorded when nothing changed. */
export function applyEvidence(
  ctx: ReconcileContext,
  watched: WatchedRun,
  evidence: Evidence,
  extra: { plan?: Record<string, unknown> | undefined; yarnApplicationId?: string | undefined } = {},
): boolean {
  const change = decideRunChange(watched.run, evidence, ctx.now, ctx.lostGraceMs);
  const patch: RunPatch = { ...change?.patch };
  if (extra.plan && !watched.hasPlan) patch.plan = extra.plan;
  if (extra.yarnApplicationId && watched.run.yarn.applicationId === null) patch.yarnApplicationId = extra.yarnApplicationId;
  if (Object.keys(patch).length === 0) return false;
  ctx.write(watched.run, patch, change?.source ?? "monitor", change?.upstreamTime);
  return true;
}

/** Flink states in which a run is watched closely (every tick). */
export function isTransitional(run: MonitoredRun): boolean {
  if (run.state === "DEPLOYING" || run.state === "CANCELLING" || run.state === "LOST") return true;
  return ["RESTARTING", "FAILING", "INITIALIZING", "CREATED", "CANCELLING", "RECONCILING"].includes(run.flinkState ?? "");
}

function spread(run: MonitoredRun): number {
  let hash = 0;
  for (const ch of run.id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash;
}

/** Spreads steady runs over the N ticks so detail reads come in an even stream. */
export function isDetailDue(ctx: ReconcileContext, run: MonitoredRun): boolean {
  return isTransitional(run) || (ctx.tick + spread(run)) % ctx.steadyEvery === 0;
}

/**
 * A running YARN run's last checkpoint is read every 10N ticks (a tick apart
 * from its detail read): with the detail reads every N ticks, a steady
 * target's requests stay within targets + running applications ÷ 5 per tick
 * with room left for the runs in transition, read every tick.
 */
export function isCheckpointDue(ctx: ReconcileContext, run: MonitoredRun): boolean {
  return (ctx.tick + spread(run)) % (ctx.steadyEvery * 10) === 1;
}
