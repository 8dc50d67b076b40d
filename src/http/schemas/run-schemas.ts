import { z } from "@hono/zod-openapi";
import { jobSpecSchema, labelsSchema, runOverridesSchema } from "../../domain/job.ts";
import { RUN_MODES, RUN_STATES } from "../../domain/run-state.ts";

const timestamp = z.string().nullable().openapi({ format: "date-time" });

export const RunSchema = z
  .object({
    id: z.string().openapi({ example: "run_01JD3Q8Z5Y6V7W8X9Y0Z1A2B3C" }),
    job: z.string().nullable().openapi({ description: "The stored job's name; null for a one-off run." }),
    jobVersion: z.number().int().nullable(),
    target: z.string(),
    mode: z.enum(RUN_MODES),
    state: z.enum(RUN_STATES),
    flinkState: z.string().nullable().openapi({ description: "Flink's own job status, as last seen (RESTARTING, FAILING, … are kept here)." }),
    yarn: z
      .object({
        applicationId: z.string().nullable(),
        tag: z.string().nullable(),
        state: z.string().nullable(),
        finalStatus: z.string().nullable(),
        diagnostics: z.string().nullable(),
      })
      .nullable()
      .openapi({ description: "YARN's view of the application; null for session runs." }),
    flinkJobId: z.string().openapi({ description: "Assigned by flinkgate before submission (32 hex characters)." }),
    finalStateSource: z.enum(["flink", "history-server", "yarn"]).nullable(),
    restarts: z.number().int(),
    lastSavepoint: z.string().nullable(),
    lastCheckpoint: z.object({ id: z.number(), completedAt: z.string(), path: z.string().nullable() }).nullable(),
    failureCause: z.string().nullable(),
    artifact: z.union([z.object({ id: z.string() }), z.object({ uri: z.string() })]),
    entryClass: z.string().nullable(),
    args: z.array(z.string()),
    parallelism: z.number().int().nullable(),
    savepointPath: z.string().nullable(),
    callbackUrl: z.string().nullable(),
    createdAt: z.string().openapi({ format: "date-time" }),
    submittedAt: timestamp,
    startedAt: timestamp,
    endedAt: timestamp,
    updatedAt: z.string().openapi({ format: "date-time" }),
    labels: z.record(z.string(), z.string()),
  })
  .openapi("Run");

export const RunOverridesSchema = runOverridesSchema.openapi("RunOverrides");

export const InlineRunSchema = z
  .strictObject({
    job: jobSpecSchema.openapi("InlineJobSpec", { description: "A job definition without a name." }),
    callbackUrl: runOverridesSchema.shape.callbackUrl,
    labels: labelsSchema.optional(),
    fromRun: runOverridesSchema.shape.fromRun,
  })
  .openapi("InlineRun");

export const OperationSchema = z
  .object({
    id: z.string().openapi({ example: "op_01JD3Q8Z5Y6V7W8X9Y0Z1A2B3C" }),
    runId: z.string(),
    kind: z.enum(["savepoint", "stop", "cancel"]),
    state: z.enum(["PENDING", "RUNNING", "SUCCEEDED", "FAILED"]),
    targetDirectory: z.string().nullable(),
    drain: z.boolean(),
    triggerId: z.string().nullable().openapi({ description: "Flink's trigger id of the savepoint operation." }),
    location: z.string().nullable().openapi({ description: "Where the savepoint was written." }),
    failureCause: z.string().nullable(),
    createdAt: z.string().openapi({ format: "date-time" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
    endedAt: timestamp,
  })
  .openapi("Operation");

export const EventSchema = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    type: z.string().openapi({ example: "run.state_changed" }),
    timestamp: z.string().openapi({ format: "date-time" }),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi("Event");
