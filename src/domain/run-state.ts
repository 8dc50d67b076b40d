/**
 * The normalized run state machine (DESIGN.md):
 * PENDING → SUBMITTING → DEPLOYING → RUNNING → (CANCELLING) → FINISHED | FAILED | CANCELED,
 * plus LOST when no source knows the job any more. LOST is left when the job
 * is seen again.
 */
export const RUN_STATES = [
  "PENDING",
  "SUBMITTING",
  "DEPLOYING",
  "RUNNING",
  "CANCELLING",
  "FINISHED",
  "FAILED",
  "CANCELED",
  "LOST",
] as const;
export type RunState = (typeof RUN_STATES)[number];

export const TERMINAL_STATES: readonly RunState[] = ["FINISHED", "FAILED", "CANCELED"];

export function isTerminal(state: RunState): boolean {
  return TERMINAL_STATES.includes(state);
}

export const RUN_MODES = ["session", "per-job", "application"] as const;
export type RunMode = (typeof RUN_MODES)[number];

/** Which source decided a terminal state, strongest first. */
export const FINAL_STATE_SOURCES = ["flink", "history-server", "yarn"] as const;
export type FinalStateSource = (typeof FINAL_STATE_SOURCES)[number];

/**
 * Flink's job status → normalized state. RESTARTING / FAILING / RECONCILING
 * keep the run RUNNING (the raw state and restart count stay visible);
 * CREATED / INITIALIZING are still deploying. Unknown values (a newer Flink)
 * return undefined: the caller keeps the current state and reports the value.
 */
export function normalizeFlinkState(flinkState: string): RunState | undefined {
  switch (flinkState) {
    case "INITIALIZING":
    case "CREATED":
      return "DEPLOYING";
    case "RUNNING":
    case "RESTARTING":
    case "FAILING":
    case "RECONCILING":
    case "SUSPENDED":
      return "RUNNING";
    case "CANCELLING":
      return "CANCELLING";
    case "FINISHED":
      return "FINISHED";
    case "FAILED":
      return "FAILED";
    case "CANCELED":
      return "CANCELED";
    default:
      return undefined;
  }
}

/**
 * YARN finalStatus → terminal state. UNDEFINED on a finished application is
 * no evidence of anything (the AM never unregistered), so it maps to nothing.
 */
export function normalizeYarnFinalStatus(finalStatus: string): RunState | undefined {
  switch (finalStatus) {
    case "SUCCEEDED":
      return "FINISHED";
    case "FAILED":
      return "FAILED";
    case "KILLED":
      return "CANCELED";
    default:
      return undefined;
  }
}
