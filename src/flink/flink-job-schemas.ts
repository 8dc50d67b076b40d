import { z } from "zod";
import { executionStateSchema, jobStatusSchema, jobTypeSchema } from "./flink-enums.ts";

/**
 * `end-time` is -1 while the job is not globally terminal (flink/NOTES.md).
 * Checked only; the schemas map it with `toEndTime` in one transform per
 * response instead of one pipe per object (the monitor parses ~10k per tick).
 */
const rawEndTime = z.number().optional();
const toEndTime = (t: number | undefined): number | null => (t === undefined || t < 0 ? null : t);
/**
 * Status → count (or → epoch ms) maps: one check over the object instead of a
 * schema per key, as the monitor reads some 10,000 `tasks` maps per tick.
 */
export function isCountMap(value: unknown): value is Record<string, number> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  for (const key in value) if (typeof (value as Record<string, unknown>)[key] !== "number") return false;
  return true;
}
const counts = z.custom<Record<string, number>>(isCountMap, "expected an object of numbers");

/** The job graph plan, kept whole (it is served back after the cluster is gone). */
export const planSchema = z.looseObject({
  jid: z.string().optional(),
  name: z.string().optional(),
  type: z.string().optional(),
  nodes: z.array(z.looseObject({ id: z.string(), parallelism: z.number().optional() })).optional(),
});
export type FlinkPlan = z.output<typeof planSchema>;

/** One `/jobs/overview` entry (`JobDetails`); `decodeJobsOverview` checks the same fields. */
export const jobDetailsSchema = z.object({
  jid: z.string(),
  name: z.string(),
  state: jobStatusSchema,
  "start-time": z.number().optional(),
  "end-time": rawEndTime,
  duration: z.number().optional(),
  "last-modification": z.number().optional(),
  tasks: counts.optional(),
  "pending-operators": z.number().optional(), // 2.0+
});

export type FlinkJobOverviewEntry = z.output<typeof jobDetailsSchema>;

export function toJobSummary(j: FlinkJobOverviewEntry) {
  return {
    jobId: j.jid,
    name: j.name,
    state: j.state,
    startTime: j["start-time"],
    endTime: toEndTime(j["end-time"]),
    durationMs: j.duration,
    lastModification: j["last-modification"],
    tasks: j.tasks ?? {},
  };
}
export type FlinkJobSummary = ReturnType<typeof toJobSummary>;

/** `GET /jobs/overview` → `{"jobs": [...]}`; an empty (or absent / null) list means no jobs. */
export const jobsOverviewSchema = z
  .object({ jobs: z.array(jobDetailsSchema).nullish() })
  .transform((o) => (o.jobs ? o.jobs.map(toJobSummary) : []));

const vertexSchema = z.object({
  id: z.string(),
  name: z.string(),
  parallelism: z.number(),
  maxParallelism: z.number().optional(),
  status: executionStateSchema,
  "start-time": z.number().optional(),
  "end-time": rawEndTime,
  duration: z.number().optional(),
  tasks: counts.optional(),
});

function toVertex(v: z.output<typeof vertexSchema>) {
  return {
    id: v.id,
    name: v.name,
    parallelism: v.parallelism,
    maxParallelism: v.maxParallelism,
    status: v.status,
    startTime: v["start-time"],
    endTime: toEndTime(v["end-time"]),
    durationMs: v.duration,
    tasks: v.tasks ?? {},
  };
}

/** `GET /jobs/:jobid` → `JobDetailsInfo`. */
export const jobDetailSchema = z
  .object({
    jid: z.string(),
    name: z.string(),
    isStoppable: z.boolean().optional(),
    state: jobStatusSchema,
    "job-type": jobTypeSchema.optional(), // 1.20+
    "start-time": z.number().optional(),
    "end-time": rawEndTime,
    duration: z.number().optional(),
    maxParallelism: z.number().optional(),
    now: z.number().optional(),
    timestamps: counts.optional(),
    vertices: z.array(vertexSchema).nullish(),
    "status-counts": counts.optional(),
    plan: planSchema.optional(),
  })
  .transform((j) => ({
    jobId: j.jid,
    name: j.name,
    state: j.state,
    isStoppable: j.isStoppable ?? false,
    jobType: j["job-type"],
    startTime: j["start-time"],
    endTime: toEndTime(j["end-time"]),
    durationMs: j.duration,
    maxParallelism: j.maxParallelism,
    now: j.now,
    /** JobStatus → epoch ms of entering it; 0 for states never entered. */
    timestamps: j.timestamps ?? {},
    vertices: j.vertices ? j.vertices.map(toVertex) : [],
    statusCounts: j["status-counts"] ?? {},
    plan: j.plan,
  }));
export type FlinkJobDetail = z.output<typeof jobDetailSchema>;

/** `GET /jobs/:jobid/status` (not served by the History Server). */
export const jobStatusInfoSchema = z.object({ status: jobStatusSchema }).transform((s) => s.status);

/** `GET /jobs/:jobid/plan` → `{"plan": {...}}`. */
export const jobPlanSchema = z.object({ plan: planSchema }).transform((p) => p.plan);

const exceptionInfoShape = {
  exceptionName: z.string().nullish(),
  stacktrace: z.string().nullish(),
  timestamp: z.number().nullish(),
  taskName: z.string().nullish(),
  endpoint: z.string().nullish(), // 1.19+
  location: z.string().nullish(), // before 1.19
  taskManagerId: z.string().nullish(),
  failureLabels: z.record(z.string(), z.string()).nullish(), // 1.18+
};
const toException = (e: z.output<z.ZodObject<typeof exceptionInfoShape>>) => ({
  exceptionName: e.exceptionName ?? undefined,
  stacktrace: e.stacktrace ?? "",
  timestamp: e.timestamp ?? undefined,
  taskName: e.taskName ?? undefined,
  endpoint: e.endpoint ?? e.location ?? undefined,
  taskManagerId: e.taskManagerId ?? undefined,
  failureLabels: e.failureLabels ?? {},
});

/**
 * `GET /jobs/:jobid/exceptions` → `JobExceptionsInfoWithHistory`. The
 * top-level `root-exception` etc. were removed in 2.0, so only
 * `exceptionHistory` is read.
 */
export const jobExceptionsSchema = z
  .object({
    exceptionHistory: z
      .object({
        entries: z
          .array(z.object({ ...exceptionInfoShape, concurrentExceptions: z.array(z.object(exceptionInfoShape)).nullish() }))
          .nullish(),
        truncated: z.boolean().nullish(),
      })
      .nullish(),
  })
  .transform((x) => ({
    entries: (x.exceptionHistory?.entries ?? []).map((e) => ({
      ...toException(e),
      concurrentExceptions: (e.concurrentExceptions ?? []).map(toException),
    })),
    truncated: x.exceptionHistory?.truncated ?? false,
  }));
export type FlinkJobExceptions = z.output<typeof jobExceptionsSchema>;
