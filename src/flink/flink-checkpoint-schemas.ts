import { z } from "zod";
import { checkpointStatsStatusSchema } from "./flink-enums.ts";

/** One entry of `history` / `latest.*`; polymorphic by `className` (completed | failed | in_progress). */
const checkpointSchema = z
  .object({
    className: z.string().optional(),
    id: z.number(),
    status: checkpointStatsStatusSchema.optional(),
    is_savepoint: z.boolean().optional(),
    checkpoint_type: z.string().optional(),
    trigger_timestamp: z.number().optional(),
    latest_ack_timestamp: z.number().optional(),
    state_size: z.number().optional(),
    checkpointed_size: z.number().optional(),
    end_to_end_duration: z.number().optional(),
    num_subtasks: z.number().optional(),
    num_acknowledged_subtasks: z.number().optional(),
    external_path: z.string().nullish(), // completed only
    discarded: z.boolean().optional(), // completed only
    failure_message: z.string().nullish(), // failed only
    failure_timestamp: z.number().optional(), // failed only
  })
  .transform((c) => ({
    id: c.id,
    kind: c.className,
    status: c.status,
    isSavepoint: c.is_savepoint ?? false,
    checkpointType: c.checkpoint_type,
    triggerTimestamp: c.trigger_timestamp,
    latestAckTimestamp: c.latest_ack_timestamp,
    stateSize: c.state_size,
    checkpointedSize: c.checkpointed_size,
    endToEndDurationMs: c.end_to_end_duration,
    externalPath: c.external_path ?? undefined,
    discarded: c.discarded,
    failureMessage: c.failure_message ?? undefined,
  }));
export type FlinkCheckpoint = z.output<typeof checkpointSchema>;

const restoredSchema = z
  .object({
    id: z.number(),
    is_savepoint: z.boolean().optional(),
    restore_timestamp: z.number().optional(),
    external_path: z.string().nullish(),
  })
  .transform((r) => ({
    id: r.id,
    isSavepoint: r.is_savepoint ?? false,
    restoreTimestamp: r.restore_timestamp,
    externalPath: r.external_path ?? undefined,
  }));

/** `GET /jobs/:jobid/checkpoints` → `CheckpointingStatistics` (`latest.*` may each be null). */
export const checkpointingStatisticsSchema = z
  .object({
    counts: z.object({
      restored: z.number(),
      total: z.number(),
      in_progress: z.number(),
      completed: z.number(),
      failed: z.number(),
    }),
    latest: z
      .object({
        completed: checkpointSchema.nullish(),
        savepoint: checkpointSchema.nullish(),
        failed: checkpointSchema.nullish(),
        restored: restoredSchema.nullish(),
      })
      .nullish(),
    history: z.array(checkpointSchema).nullish(),
  })
  .transform((s) => ({
    counts: {
      restored: s.counts.restored,
      total: s.counts.total,
      inProgress: s.counts.in_progress,
      completed: s.counts.completed,
      failed: s.counts.failed,
    },
    latestCompleted: s.latest?.completed ?? null,
    latestSavepoint: s.latest?.savepoint ?? null,
    latestFailed: s.latest?.failed ?? null,
    latestRestored: s.latest?.restored ?? null,
    history: s.history ?? [],
  }));
export type FlinkCheckpointStats = z.output<typeof checkpointingStatisticsSchema>;
