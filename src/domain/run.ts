import type { FinalStateSource, RunMode, RunState } from "./run-state.ts";

/** The jar a run submits: a stored upload (content-addressed) or a URI the cluster can read. */
export type ArtifactRef =
  | { kind: "stored"; id: string; sha256: string; fileName: string; sizeBytes: number }
  | { kind: "uri"; uri: string };

/** Everything a launcher needs to submit: the job definition with per-run overrides applied. */
export interface RunSpec {
  artifact: ArtifactRef;
  entryClass: string | null;
  args: string[];
  parallelism: number | null;
  flinkConfig: Record<string, string>;
  savepointPath: string | null;
  allowNonRestoredState: boolean;
  restoreMode: "CLAIM" | "NO_CLAIM" | "LEGACY" | null;
}

export interface YarnStatus {
  applicationId: string | null;
  /** The tag the application carries: `flinkgate-run-<run id, lower-case>`. */
  tag: string | null;
  state: string | null;
  finalStatus: string | null;
  diagnostics: string | null;
  /** The AM's REST address (`amRPCAddress`), re-read on every write: it changes with each AM attempt. */
  amAddress: string | null;
}

export interface Run {
  id: string;
  jobName: string | null;
  jobVersion: number | null;
  target: string;
  mode: RunMode;
  spec: RunSpec;
  state: RunState;
  flinkState: string | null;
  flinkJobId: string;
  yarn: YarnStatus;
  /** Session runs: the session cluster's jar id used for the submission. */
  jarId: string | null;
  finalStateSource: FinalStateSource | null;
  restarts: number;
  lastSavepoint: string | null;
  lastCheckpoint: { id: number; completedAt: string; path: string | null } | null;
  failureCause: string | null;
  callbackUrl: string | null;
  labels: Record<string, string>;
  createdAt: Date;
  submittedAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  updatedAt: Date;
  /** When every source stopped knowing the job (LOST after a grace). */
  unseenSince: Date | null;
}

/** The YARN tag of a run. YARN lower-cases tags, so it is lower-case from the start. */
/**
 * What the monitor keeps of each run it watches: its state and what sightings
 * are compared with. Not the spec, labels and the rest, which no sighting
 * changes: a replica watches every active run, and those were most of a run's memory.
 */
export type MonitoredRun = Pick<
  Run,
  "id" | "target" | "state" | "flinkState" | "flinkJobId" | "yarn" | "restarts" | "lastCheckpoint" | "createdAt" | "submittedAt" | "startedAt" | "unseenSince"
>;

export function yarnTagFor(runId: string): string {
  return `flinkgate-run-${runId.toLowerCase()}`;
}
