import type { MonitoredRun } from "../domain/run.ts";
import { isTerminal, normalizeFlinkState, normalizeYarnFinalStatus, type RunState } from "../domain/run-state.ts";
import type { RunPatch } from "../store/run-repository.ts";
import { type Evidence, YARN_PENDING_STATES, YARN_TERMINAL_STATES, type YarnEvidence } from "./evidence.ts";

export interface RunChange {
  patch: RunPatch;
  /** What decided the state: `flink`, `history-server`, `yarn` or `monitor` (LOST). */
  source: string;
  /** The upstream's own time of the transition (epoch ms), for detection latency. */
  upstreamTime?: number | undefined;
}

interface Decision {
  state: RunState;
  source: string;
  upstreamTime?: number | undefined;
  endTime?: number | undefined;
  failureCause?: string | undefined;
  finalStateSource?: "flink" | "history-server" | "yarn";
}

/** Run states a running AM moves to DEPLOYING when its job was not read this tick. */
const DEPLOYING_WHEN_AM_RUNS: readonly RunState[] = ["SUBMITTING", "PENDING", "LOST"];

/** The state the evidence proves, strongest source first (DESIGN.md evidence precedence). */
function decideState(run: MonitoredRun, evidence: Evidence, now: Date, lostGraceMs: number): Decision | undefined {
  const { flink, yarn } = evidence;
  const flinkState = flink ? normalizeFlinkState(flink.state) : undefined;
  if (flink && flinkState && isTerminal(flinkState)) {
    const endTime = flink.endTime ?? flink.timestamps?.[flink.state] ?? undefined;
    return { state: flinkState, source: flink.source, finalStateSource: flink.source, upstreamTime: endTime, endTime, failureCause: flink.failureCause };
  }
  if (yarn && YARN_TERMINAL_STATES.includes(yarn.state)) {
    const fromYarn = normalizeYarnFinalStatus(yarn.finalStatus);
    // UNDEFINED on an ended application proves nothing: fall through to "unseen".
    if (fromYarn) {
      const endTime = yarn.finishedTime ?? undefined;
      const cause = fromYarn === "FAILED" ? yarn.diagnostics || "YARN reported the application FAILED" : undefined;
      return { state: fromYarn, source: "yarn", finalStateSource: "yarn", upstreamTime: endTime, endTime, failureCause: cause };
    }
  } else if (flink && flinkState) {
    const entered = flink.timestamps?.[flink.state];
    // A cancel in flight is not undone by a tick that still sees the job running.
    if (run.state === "CANCELLING" && flinkState === "RUNNING") return { state: "CANCELLING", source: flink.source };
    return { state: flinkState, source: flink.source, upstreamTime: entered };
  } else if (yarn) {
    if (YARN_PENDING_STATES.includes(yarn.state)) return { state: "DEPLOYING", source: "yarn" };
    // The AM runs but the job was not read this tick: keep what detail said last.
    const kept = DEPLOYING_WHEN_AM_RUNS.includes(run.state) ? "DEPLOYING" : run.state;
    return { state: kept, source: "yarn" };
  }
  if (!evidence.unknownEverywhere) return undefined;
  const since = run.unseenSince ?? now;
  if (now.getTime() - since.getTime() >= lostGraceMs) return { state: "LOST", source: "monitor" };
  return undefined;
}

function setIfChanged<K extends keyof RunPatch>(patch: RunPatch, key: K, current: RunPatch[K], next: RunPatch[K] | undefined) {
  if (next === undefined) return;
  const same = current instanceof Date && next instanceof Date ? current.getTime() === next.getTime() : current === next;
  if (!same) patch[key] = next;
}

/**
 * True when seeing the job in `flinkState` again, and nothing else, cannot
 * change the run: decideRunChange would return undefined. Lets a session
 * tick pass over its thousands of steady runs without weighing each one.
 */
export function isSteadySighting(run: MonitoredRun, flinkState: string): boolean {
  return flinkState === run.flinkState && run.unseenSince === null && normalizeFlinkState(flinkState) === run.state;
}

/**
 * The same for YARN: the run's application seen RUNNING again exactly as
 * stored (and no job detail read this tick) cannot change the run.
 */
export function isSteadyYarnSighting(run: MonitoredRun, app: YarnEvidence & { id: string }): boolean {
  const { yarn } = run;
  return (
    app.state === "RUNNING" &&
    yarn.applicationId === app.id &&
    yarn.state === app.state &&
    yarn.finalStatus === app.finalStatus &&
    yarn.diagnostics === (app.diagnostics || null) &&
    (app.amAddress === undefined || app.amAddress === "" || yarn.amAddress === app.amAddress) &&
    run.unseenSince === null &&
    !DEPLOYING_WHEN_AM_RUNS.includes(run.state)
  );
}

/**
 * Pure: what to write for one run given this tick's evidence, or undefined
 * when nothing changed (nothing is written then). Never moves a run on a
 * transport error — callers simply pass no evidence for a source they could
 * not reach.
 */
export function decideRunChange(run: MonitoredRun, evidence: Evidence, now: Date, lostGraceMs: number): RunChange | undefined {
  const patch: RunPatch = {};
  const decision = decideState(run, evidence, now, lostGraceMs);
  const seen = Boolean(evidence.flink || evidence.yarn);

  if (evidence.flink) {
    setIfChanged(patch, "flinkState", run.flinkState, evidence.flink.state);
    if (evidence.flink.restarts !== undefined && evidence.flink.restarts > run.restarts) patch.restarts = evidence.flink.restarts;
  }
  const checkpoint = evidence.lastCheckpoint;
  if (checkpoint && checkpoint.id !== run.lastCheckpoint?.id) patch.lastCheckpoint = checkpoint;
  if (evidence.yarn) {
    setIfChanged(patch, "yarnState", run.yarn.state, evidence.yarn.state);
    setIfChanged(patch, "yarnFinalStatus", run.yarn.finalStatus, evidence.yarn.finalStatus);
    setIfChanged(patch, "yarnDiagnostics", run.yarn.diagnostics, evidence.yarn.diagnostics || null);
    setIfChanged(patch, "yarnAmAddress", run.yarn.amAddress, evidence.yarn.amAddress || undefined);
  }
  if (seen) setIfChanged(patch, "unseenSince", run.unseenSince, null);
  else if (evidence.unknownEverywhere && run.unseenSince === null) patch.unseenSince = now;

  if (decision && decision.state !== run.state) {
    patch.state = decision.state;
    if (decision.state === "RUNNING" && run.startedAt === null) {
      const started = evidence.flink?.timestamps?.RUNNING || evidence.flink?.startTime;
      patch.startedAt = started ? new Date(started) : now;
    }
    if (isTerminal(decision.state)) {
      patch.endedAt = decision.endTime ? new Date(decision.endTime) : now;
      patch.finalStateSource = decision.finalStateSource ?? null;
      if (decision.failureCause) patch.failureCause = decision.failureCause;
    }
  }
  if (Object.keys(patch).length === 0) return undefined;
  return { patch, source: decision?.source ?? "monitor", upstreamTime: decision && decision.state !== run.state ? decision.upstreamTime : undefined };
}
