import type { FlinkCluster } from "./flink-cluster.ts";
import type { FlinkJob } from "./flink-job.ts";

/** `web.checkpoints.history` default: the history array holds the 10 most recent entries. */
const HISTORY_SIZE = 10;
const STATE_SIZE = 4096;

function summary(count: number): Record<string, unknown> {
  const dto = (value: number) => ({ min: value, max: value, avg: value, p50: value, p90: value, p95: value, p99: value, p999: value });
  const size = dto(count > 0 ? STATE_SIZE : 0);
  return {
    checkpointed_size: size, state_size: size, end_to_end_duration: dto(count > 0 ? 40 : 0),
    alignment_buffered: dto(0), processed_data: dto(0), persisted_data: dto(0),
  };
}

function completed(job: FlinkJob, id: number, at: number, savepoint: string | null): Record<string, unknown> {
  return {
    className: "completed",
    id,
    status: "COMPLETED",
    is_savepoint: savepoint !== null,
    // Only savepoints carry a format; the field is left out otherwise rather than sent as null.
    ...(savepoint !== null ? { savepointFormat: "CANONICAL" } : {}),
    trigger_timestamp: at - 40,
    latest_ack_timestamp: at,
    checkpointed_size: STATE_SIZE,
    state_size: STATE_SIZE,
    end_to_end_duration: 40,
    alignment_buffered: 0,
    processed_data: 0,
    persisted_data: 0,
    num_subtasks: job.parallelism * job.script.vertices,
    num_acknowledged_subtasks: job.parallelism * job.script.vertices,
    checkpoint_type: savepoint !== null ? "SAVEPOINT" : "CHECKPOINT",
    tasks: {},
    external_path: savepoint ?? `file:/tmp/checkpoints/${job.id}/chk-${id}`,
    discarded: savepoint === null,
  };
}

/**
 * GET /jobs/:jobid/checkpoints, computed from the time the job spent RUNNING.
 * Returns null when checkpointing is off: the endpoint then answers 404
 * "Checkpointing has not been enabled." (flink/NOTES.md).
 */
export function checkpointingStatistics(cluster: FlinkCluster, job: FlinkJob, now: number): Record<string, unknown> | null {
  if (!job.script.checkpointing) return null;
  const runningMs = job.runningMsAt(now);
  const count = Math.floor(runningMs / job.script.checkpointIntervalMs);
  const ranUntil = now - runningMs;
  const history: Record<string, unknown>[] = [];
  for (let id = count; id > Math.max(0, count - HISTORY_SIZE); id--) {
    history.push(completed(job, id, ranUntil + id * job.script.checkpointIntervalMs, null));
  }
  const sp = cluster.latestSavepoint(job.id, now);
  const savepoint = sp?.location ? completed(job, count + 1, sp.completesAt, sp.location) : null;
  const restoredFrom = job.config["execution.savepoint.path"];
  const restored = restoredFrom
    ? { id: 0, restore_timestamp: job.submittedAt, is_savepoint: true, external_path: restoredFrom }
    : null;
  const completedCount = count + (savepoint ? 1 : 0);
  return {
    counts: { restored: restored ? 1 : 0, total: completedCount, in_progress: 0, completed: completedCount, failed: 0 },
    summary: summary(count),
    latest: { completed: history[0] ?? null, savepoint, failed: null, restored },
    history,
  };
}
