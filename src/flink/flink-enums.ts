import { lenientEnum } from "../upstream/lenient-enum.ts";
import type { Lenient } from "../upstream/lenient-enum.ts";

/** `JobStatus`, declaration order (flink/NOTES.md "Job status enum"). */
export const JOB_STATUSES = [
  "INITIALIZING",
  "CREATED",
  "RUNNING",
  "FAILING",
  "FAILED",
  "CANCELLING",
  "CANCELED",
  "FINISHED",
  "RESTARTING",
  "SUSPENDED",
  "RECONCILING",
] as const;
export type FlinkJobStatus = Lenient<(typeof JOB_STATUSES)[number]>;

/** Task / vertex level `ExecutionState` (note `CANCELING` with one L here). */
export const EXECUTION_STATES = [
  "CREATED",
  "SCHEDULED",
  "DEPLOYING",
  "RUNNING",
  "FINISHED",
  "CANCELING",
  "CANCELED",
  "FAILED",
  "RECONCILING",
  "INITIALIZING",
] as const;

export const QUEUE_STATUSES = ["IN_PROGRESS", "COMPLETED"] as const;
export const JOB_TYPES = ["BATCH", "STREAMING"] as const;
export const CHECKPOINT_STATS_STATUSES = ["IN_PROGRESS", "COMPLETED", "FAILED"] as const;
export const RECOVERY_CLAIM_MODES = ["CLAIM", "NO_CLAIM", "LEGACY"] as const;
export type RecoveryClaimMode = (typeof RECOVERY_CLAIM_MODES)[number];
export const SAVEPOINT_FORMAT_TYPES = ["CANONICAL", "NATIVE"] as const;
export type SavepointFormatType = (typeof SAVEPOINT_FORMAT_TYPES)[number];

export const jobStatusSchema = lenientEnum("flink.JobStatus", JOB_STATUSES);
export const executionStateSchema = lenientEnum("flink.ExecutionState", EXECUTION_STATES);
export const queueStatusSchema = lenientEnum("flink.QueueStatus", QUEUE_STATUSES);
export const jobTypeSchema = lenientEnum("flink.JobType", JOB_TYPES);
export const checkpointStatsStatusSchema = lenientEnum("flink.CheckpointStatsStatus", CHECKPOINT_STATS_STATUSES);

/** Final: the job will never change again. `SUSPENDED` is only locally terminal (JM lost leadership). */
export function isGloballyTerminal(status: string): boolean {
  return status === "FINISHED" || status === "CANCELED" || status === "FAILED";
}
