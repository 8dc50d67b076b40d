import type { HttpBindings } from "@hono/node-server";
import { Hono, type Context } from "hono";
import type { EmulatorModel } from "./emulator-model.ts";
import type { FlinkCluster } from "./flink-cluster.ts";
import { checkpointingStatistics } from "./flink-checkpoint-json.ts";
import { flinkJson } from "./flink-errors.ts";
import { jobExceptions } from "./flink-failure-json.ts";
import type { FlinkJob } from "./flink-job.ts";
import { jobDetails, jobOverviewEntry, jobPlan } from "./flink-json.ts";

export type HistoryBindings = HttpBindings & { path: string; model: EmulatorModel };
type HistoryEnv = { Bindings: HistoryBindings };

interface Archived {
  cluster: FlinkCluster;
  job: FlinkJob;
  end: number;
  /** When the archive became visible: job end + archive/poll lag. */
  visibleAt: number;
}

/** Jobs the History Server has picked up by `now` (flink/NOTES.md "History Server"). */
export function archivedJobs(model: EmulatorModel): Map<string, Archived> {
  const now = model.now();
  const out = new Map<string, Archived>();
  for (const cluster of model.clusters) {
    for (const { job, end } of cluster.archivedJobs()) {
      const visibleAt = end + model.history.lagMs;
      if (visibleAt <= now) out.set(job.id, { cluster, job, end, visibleAt });
    }
  }
  return out;
}

/**
 * The History Server: a static-file server over archived JSON. GET only, no `/v1` prefix, query
 * strings ignored, short error bodies, 5-minute cache headers honouring If-Modified-Since.
 */
export function createHistoryApp(): Hono<HistoryEnv> {
  const app = new Hono<HistoryEnv>({ getPath: (req, o) => (o?.env as HistoryBindings | undefined)?.path ?? new URL(req.url).pathname });

  app.use("*", async (c, next) => {
    if (c.req.method !== "GET") return flinkJson({ errors: [`Not found: ${c.env.path}`] }, 404);
    await next();
  });

  app.get("/config", (c) =>
    file(c, 0, {
      "refresh-interval": 10000, "timezone-name": "Coordinated Universal Time", "timezone-offset": 0,
      "flink-version": "emulated", "flink-revision": "emulated",
      features: { "web-submit": false, "web-cancel": false, "web-rescale": false, "web-history": true },
    }));

  app.get("/jobs/overview", (c) => {
    const archived = [...archivedJobs(c.env.model).values()];
    const lastModified = Math.max(0, ...archived.map((a) => a.visibleAt));
    return file(c, lastModified, { jobs: archived.map((a) => jobOverviewEntry(a.cluster, a.job, a.end)) });
  });

  const perJob = (render: (a: Archived) => unknown | null) => (c: Context<HistoryEnv>) => {
    const archived = archivedJobs(c.env.model).get(c.req.param("jobid") ?? "");
    const body = archived ? render(archived) : null;
    return archived && body !== null ? file(c, archived.visibleAt, body) : fileNotFound();
  };
  app.get("/jobs/:jobid", perJob((a) => jobDetails(a.cluster, a.job, a.end)));
  app.get("/jobs/:jobid/exceptions", perJob((a) => jobExceptions(a.cluster, a.job, a.end)));
  app.get("/jobs/:jobid/plan", perJob((a) => ({ plan: jobPlan(a.job) })));
  app.get("/jobs/:jobid/checkpoints", perJob((a) => checkpointingStatistics(a.cluster, a.job, a.end)));
  app.get("/jobs/:jobid/config", perJob((a) => ({
    jid: a.job.id, name: a.job.name,
    "execution-config": { "execution-mode": "PIPELINED", "restart-strategy": "Cluster level default restart strategy", "job-parallelism": a.job.parallelism, "object-reuse-mode": false, "user-config": {} },
  })));

  app.notFound(() => fileNotFound());
  return app;
}

function fileNotFound(): Response {
  return flinkJson({ errors: ["File not found."] }, 404);
}

function file(c: Context<HistoryEnv>, lastModified: number, body: unknown): Response {
  const since = c.req.header("if-modified-since");
  const lastSecond = Math.floor(lastModified / 1000) * 1000;
  if (since && Date.parse(since) >= lastSecond) return new Response(null, { status: 304 });
  const now = c.env.model.now();
  return flinkJson(body, 200, {
    "Cache-Control": "private, max-age=300",
    Expires: new Date(now + 300_000).toUTCString(),
    "Last-Modified": new Date(lastModified).toUTCString(),
  });
}
