import { Hono } from "hono";
import { checkpointingStatistics } from "./flink-checkpoint-json.ts";
import { flinkHandlerError, flinkJson } from "./flink-errors.ts";
import { executionResult, jobExceptions } from "./flink-failure-json.ts";
import { jobDetails, jobIdsWithStatus, jobOverviewEntry, jobPlan } from "./flink-json.ts";
import { withJob, type FlinkContext, type FlinkEnv } from "./flink-env.ts";
import { HEX32 } from "./ids.ts";

export const flinkJobRoutes = new Hono<FlinkEnv>();

flinkJobRoutes.get("/config", (c) => {
  const { cluster } = c.env;
  const features: Record<string, boolean> = {
    "web-submit": cluster.options.kind === "session",
    "web-cancel": true,
    "web-history": false,
  };
  if (cluster.features.rescaleAndFailureLabels) features["web-rescale"] = false;
  return flinkJson({
    "refresh-interval": 3000,
    "timezone-name": "Coordinated Universal Time",
    "timezone-offset": 0,
    "flink-version": cluster.options.flinkVersion,
    "flink-revision": "emulated @ 2026-01-01T00:00:00+01:00",
    features,
  });
});

flinkJobRoutes.get("/overview", (c) => {
  const { cluster, model } = c.env;
  const now = model.now();
  const counts = { running: 0, finished: 0, cancelled: 0, failed: 0 };
  for (const job of cluster.visibleJobs(now)) {
    const state = job.stateAt(now);
    if (state === "FINISHED") counts.finished++;
    else if (state === "CANCELED") counts.cancelled++;
    else if (state === "FAILED") counts.failed++;
    else counts.running++;
  }
  const slots = cluster.options.taskManagers * cluster.options.slotsPerTaskManager;
  return flinkJson({
    taskmanagers: cluster.options.taskManagers,
    "slots-total": slots,
    "slots-available": Math.max(0, slots - cluster.runningSlots(now)),
    "jobs-running": counts.running,
    "jobs-finished": counts.finished,
    "jobs-cancelled": counts.cancelled,
    "jobs-failed": counts.failed,
    "flink-version": cluster.options.flinkVersion,
    "flink-commit": "emulated",
  });
});

flinkJobRoutes.get("/jobs", (c) => {
  const now = c.env.model.now();
  return flinkJson(jobIdsWithStatus(c.env.cluster.visibleJobs(now), now));
});

flinkJobRoutes.get("/jobs/overview", (c) => {
  const { cluster, model } = c.env;
  const now = model.now();
  return flinkJson({ jobs: cluster.visibleJobs(now).map((job) => jobOverviewEntry(cluster, job, now)) });
});

flinkJobRoutes.get("/jobs/:jobid", (c) => withJob(c, (job, now) => flinkJson(jobDetails(c.env.cluster, job, now))));
flinkJobRoutes.get("/jobs/:jobid/status", (c) => withJob(c, (job, now) => flinkJson({ status: job.stateAt(now) })));
flinkJobRoutes.get("/jobs/:jobid/plan", (c) => withJob(c, (job) => flinkJson({ plan: jobPlan(job) })));
flinkJobRoutes.get("/jobs/:jobid/execution-result", (c) => withJob(c, (job, now) => flinkJson(executionResult(job, now))));

flinkJobRoutes.get("/jobs/:jobid/exceptions", (c) =>
  withJob(c, (job, now) => {
    const raw = c.req.query("maxExceptions");
    const max = raw === undefined ? 20 : Number.parseInt(raw, 10);
    if (raw !== undefined && !Number.isFinite(max)) {
      return flinkJson({ errors: [`Bad request, could not parse parameters: Cannot resolve query parameter (maxExceptions) from value "${raw}".`] }, 400);
    }
    return flinkJson(jobExceptions(c.env.cluster, job, now, max));
  }),
);

flinkJobRoutes.get("/jobs/:jobid/checkpoints", (c) =>
  withJob(c, (job, now) => {
    const stats = checkpointingStatistics(c.env.cluster, job, now);
    return stats ? flinkJson(stats) : flinkHandlerError(404, "Checkpointing has not been enabled.");
  }),
);

flinkJobRoutes.patch("/jobs/:jobid", (c) => cancel(c, c.req.query("mode")));
// Undocumented GET twin of cancel, kept so cancel passes the YARN proxy (FLINK-8605, NOTES-flink-on-yarn.md).
flinkJobRoutes.get("/jobs/:jobid/yarn-cancel", (c) => cancel(c, undefined));

function cancel(c: FlinkContext, mode: string | undefined): Response | Promise<Response> {
  const jobId = c.req.param("jobid") ?? "";
  if (mode !== undefined && !["cancel", "stop"].includes(mode.toLowerCase())) {
    return flinkJson({ errors: [`Bad request, could not parse parameters: Cannot resolve query parameter (mode) from value "${mode}".`] }, 400);
  }
  if (mode?.toLowerCase() === "stop") {
    return flinkHandlerError(308, 'The termination mode "stop" has been removed. For an ungraceful shutdown, please use "cancel" instead. For a graceful shutdown, please use "jobs/:jobId/stop" instead.');
  }
  if (!HEX32.test(jobId)) return withJob(c, () => flinkJson({}));
  const now = c.env.model.now();
  const job = c.env.cluster.visibleJob(jobId, now);
  if (!job) {
    return flinkHandlerError(404, "Job could not be found.", [`org.apache.flink.runtime.messages.FlinkJobNotFoundException: Could not find Flink job (${jobId})`]);
  }
  const result = job.cancel(now);
  if (result.outcome === "conflict") {
    return flinkHandlerError(409, `Job cancellation failed because the job has already reached another terminal state (${result.state}).`);
  }
  c.env.cluster.changed(job);
  return flinkJson({}, 202);
}

flinkJobRoutes.delete("/cluster", (c) => {
  c.env.cluster.onShutdown(c.env.model.now());
  return flinkJson({});
});

