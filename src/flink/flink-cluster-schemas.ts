import { z } from "zod";

/** `GET /config` → `DashboardConfiguration`. */
export const dashboardConfigSchema = z
  .object({
    "refresh-interval": z.number().optional(),
    "timezone-name": z.string().optional(),
    "timezone-offset": z.number().optional(),
    "flink-version": z.string(),
    "flink-revision": z.string().optional(),
    features: z
      .object({
        "web-submit": z.boolean().optional(),
        "web-cancel": z.boolean().optional(),
        "web-rescale": z.boolean().optional(), // 1.18+
        "web-history": z.boolean().optional(), // true only on the History Server
      })
      .optional(),
  })
  .transform((c) => ({
    flinkVersion: c["flink-version"],
    flinkRevision: c["flink-revision"],
    refreshIntervalMs: c["refresh-interval"],
    timezoneName: c["timezone-name"],
    features: {
      webSubmit: c.features?.["web-submit"] ?? false,
      webCancel: c.features?.["web-cancel"] ?? false,
      webRescale: c.features?.["web-rescale"] ?? false,
      webHistory: c.features?.["web-history"] ?? false,
    },
  }));
export type FlinkDashboardConfig = z.output<typeof dashboardConfigSchema>;

/** `GET /overview` → `ClusterOverviewWithVersion`; the `*-blocked` fields appear only when non-zero. */
export const clusterOverviewSchema = z
  .object({
    taskmanagers: z.number(),
    "slots-total": z.number(),
    "slots-available": z.number(),
    "jobs-running": z.number(),
    "jobs-finished": z.number(),
    "jobs-cancelled": z.number(),
    "jobs-failed": z.number(),
    "flink-version": z.string().optional(),
    "flink-commit": z.string().optional(),
    "taskmanagers-blocked": z.number().optional(),
    "slots-free-and-blocked": z.number().optional(),
  })
  .transform((o) => ({
    taskManagers: o.taskmanagers,
    taskManagersBlocked: o["taskmanagers-blocked"] ?? 0,
    slotsTotal: o["slots-total"],
    slotsAvailable: o["slots-available"],
    slotsFreeAndBlocked: o["slots-free-and-blocked"] ?? 0,
    jobsRunning: o["jobs-running"],
    jobsFinished: o["jobs-finished"],
    jobsCancelled: o["jobs-cancelled"],
    jobsFailed: o["jobs-failed"],
    flinkVersion: o["flink-version"],
    flinkCommit: o["flink-commit"],
  }));
export type FlinkClusterOverview = z.output<typeof clusterOverviewSchema>;

/** `POST /jars/upload` → 200; `filename` is the absolute path on the JobManager, its basename is the jar id. */
export const jarUploadResponseSchema = z
  .object({ status: z.string(), filename: z.string().min(1) })
  .transform((r) => ({ filename: r.filename, jarId: r.filename.split("/").pop() ?? r.filename }));
export type FlinkJarUpload = z.output<typeof jarUploadResponseSchema>;

/** `GET /jars` → `JarListInfo`. */
export const jarListSchema = z
  .object({
    address: z.string().optional(),
    files: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          uploaded: z.number(),
          entry: z.array(z.object({ name: z.string(), description: z.string().nullish() })).nullish(),
        }),
      )
      .nullish(),
  })
  .transform((l) =>
    (l.files ?? []).map((f) => ({
      jarId: f.id,
      name: f.name,
      uploadedAt: f.uploaded,
      entryClasses: (f.entry ?? []).map((e) => e.name),
    })),
  );
export type FlinkJar = z.output<typeof jarListSchema>[number];

/** `POST /jars/:jarid/run` → 200 `{"jobid"}` (2.3-SNAPSHOT adds `applicationId`). */
export const jarRunResponseSchema = z
  .object({ jobid: z.string(), applicationId: z.string().nullish() })
  .transform((r) => ({ jobId: r.jobid, applicationId: r.applicationId ?? undefined }));
