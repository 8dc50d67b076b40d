import { z } from "zod";
import { RUN_MODES } from "./run-state.ts";

/**
 * A job definition as clients send it (POST /v1/jobs, PUT /v1/jobs/{name},
 * and inline in POST /v1/runs). The same schema validates what is stored.
 */
export const jobNameSchema = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9._-]{0,126}[a-z0-9])?$/, "must be lower-case letters, digits, '.', '_' and '-' (1–128), starting and ending with a letter or digit");

const artifactSchema = z.union([
  z.strictObject({ id: z.string().regex(/^art_[0-9A-Z]{26}$/, "must be an artifact id (art_…)") }),
  z.strictObject({
    uri: z
      .string()
      .regex(/^(https?|hdfs|file|s3a?|gs|abfss?|oss|viewfs|local):\/\//, "must be an https://, hdfs://, file:// (or other Hadoop filesystem) URI"),
  }),
]);

export const flinkConfigSchema = z.record(z.string().min(1), z.string());
export const labelsSchema = z.record(
  z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._/-]{0,62}$/, "label keys are 1–63 letters, digits, '.', '_', '/' or '-'"),
  z.string().max(256),
);
export const restoreModeSchema = z.enum(["CLAIM", "NO_CLAIM", "LEGACY"]);

export const jobSpecSchema = z.strictObject({
  target: z.string().min(1),
  mode: z.enum(RUN_MODES),
  artifact: artifactSchema,
  entryClass: z.string().regex(/^[\p{L}_$][\p{L}\p{N}_$]*(\.[\p{L}_$][\p{L}\p{N}_$]*)*$/u, "must be a Java class name").optional(),
  args: z.array(z.string()).default([]),
  parallelism: z.number().int().min(1).max(32768).optional(),
  flinkConfig: flinkConfigSchema.default({}),
  savepointPath: z.string().min(1).optional(),
  allowNonRestoredState: z.boolean().default(false),
  restoreMode: restoreModeSchema.optional(),
  labels: labelsSchema.default({}),
});

export const namedJobSchema = jobSpecSchema.extend({ name: jobNameSchema });

export type JobSpec = z.output<typeof jobSpecSchema>;

/** Per-run overrides (POST /v1/jobs/{name}/runs); every field optional. */
export const runOverridesSchema = z.strictObject({
  args: z.array(z.string()).optional(),
  parallelism: z.number().int().min(1).max(32768).optional(),
  flinkConfig: flinkConfigSchema.optional(),
  savepointPath: z.string().min(1).optional(),
  /** Start from the last savepoint of this run (instead of giving `savepointPath`). */
  fromRun: z.string().regex(/^run_[0-9A-Z]{26}$/, "must be a run id (run_…)").optional(),
  allowNonRestoredState: z.boolean().optional(),
  restoreMode: restoreModeSchema.optional(),
  callbackUrl: z.url({ protocol: /^https?$/ }).optional(),
  labels: labelsSchema.optional(),
});

export type RunOverrides = z.output<typeof runOverridesSchema>;
