/**
 * What one reconcile tick learned about one run, from each source. A source
 * that could not be asked (transport error) contributes nothing: absence of
 * evidence is never evidence (DESIGN.md "The false alarm").
 */
export interface FlinkEvidence {
  /** `flink`: the job's own JobManager; `history-server`: its archive. */
  source: "flink" | "history-server";
  state: string;
  startTime?: number | undefined;
  endTime?: number | null | undefined;
  /** Epoch ms of entering each Flink status, when job detail was read. */
  timestamps?: Record<string, number> | undefined;
  restarts?: number | undefined;
  failureCause?: string | undefined;
}

export interface YarnEvidence {
  state: string;
  finalStatus: string;
  diagnostics: string;
  startedTime?: number | undefined;
  finishedTime: number | null;
  amAddress?: string | undefined;
}

export interface Evidence {
  flink?: FlinkEvidence | undefined;
  yarn?: YarnEvidence | undefined;
  /** The job's newest completed checkpoint, when it was read this tick (says nothing about its state). */
  lastCheckpoint?: { id: number; completedAt: string; path: string | null } | undefined;
  /** Every source that was asked answered positively that it does not know the job. */
  unknownEverywhere?: boolean;
}

export const YARN_TERMINAL_STATES = ["FINISHED", "FAILED", "KILLED"];
export const YARN_PENDING_STATES = ["NEW", "NEW_SAVING", "SUBMITTED", "ACCEPTED"];
