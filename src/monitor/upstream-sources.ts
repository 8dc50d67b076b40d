import { UpstreamError, type UpstreamName } from "../domain/errors.ts";
import type { SessionTarget, YarnTarget } from "../domain/target.ts";
import type { FlinkClient } from "../flink/flink-client.ts";
import type { FlinkJobDetail } from "../flink/flink-job-schemas.ts";
import type { LaunchClients } from "../launch/launch-clients.ts";
import type { YarnApp } from "../yarn/yarn-schemas.ts";
import type { AppReport, FlinkJobsSource, JobDetail, MonitorSources, RequestObserver, YarnAppsSource } from "./sources.ts";

const YARN_ACTIVE = ["NEW", "NEW_SAVING", "SUBMITTED", "ACCEPTED", "RUNNING"] as const;
const YARN_ENDED = ["FINISHED", "FAILED", "KILLED"] as const;
/** Flink sets this type unless the user overrides `yarn.application.type` (NOTES-flink-on-yarn.md). */
const FLINK_APP_TYPE = "Apache Flink";
const LIST_LIMIT = 100_000;

function detailOf(job: FlinkJobDetail): JobDetail {
  return { jobId: job.jobId, state: job.state, startTime: job.startTime, endTime: job.endTime, timestamps: job.timestamps, plan: job.plan };
}

/** `undefined` for a positive "no such job"; every other failure is rethrown. */
async function unlessNotFound<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof UpstreamError && error.failure === "not-found") return undefined;
    throw error;
  }
}

export function createUpstreamSources(clients: LaunchClients, observe: RequestObserver): MonitorSources {
  function measured<T>(target: string, upstream: UpstreamName, promise: Promise<T>): Promise<T> {
    return promise.then(
      (value) => (observe({ target, upstream, ok: true }), value),
      (error: unknown) => {
        // A 404 is an answer, not an upstream failure.
        const ok = error instanceof UpstreamError && error.failure === "not-found";
        observe({ target, upstream, ok, error: ok ? undefined : error });
        throw error;
      },
    );
  }

  function jobsSource(target: string, upstream: UpstreamName, client: FlinkClient): FlinkJobsSource {
    return {
      listJobs: () => measured(target, upstream, client.listJobs()),
      job: async (jobId) => {
        const job = await unlessNotFound(measured(target, upstream, client.getJob(jobId)));
        return job && detailOf(job);
      },
      failures: async (jobId) => {
        const found = await measured(target, upstream, client.getJobExceptions(jobId, { maxExceptions: 1000 }));
        return { count: found.entries.length, latest: found.entries[0]?.stacktrace.split("\n")[0] || found.entries[0]?.exceptionName };
      },
      checkpoint: async (jobId) => {
        const stats = await measured(target, upstream, client.getJobCheckpoints(jobId));
        const latest = stats?.latestCompleted;
        if (!latest) return null;
        const at = latest.latestAckTimestamp ?? latest.triggerTimestamp;
        return { id: latest.id, completedAt: new Date(at ?? 0).toISOString(), path: latest.externalPath ?? null };
      },
    };
  }

  return {
    session: (target: SessionTarget) => jobsSource(target.name, "flink", clients.session(target)),

    historyServer: (target) =>
      target.historyServerUrl ? jobsSource(target.name, "history-server", clients.flinkAt(target.historyServerUrl, "history-server")) : undefined,

    yarn(target: YarnTarget): YarnAppsSource {
      const yarn = clients.yarn(target);
      const report = (app: YarnApp, proxyBase: string): AppReport => ({
        id: app.id,
        state: app.state,
        finalStatus: app.finalStatus,
        diagnostics: app.diagnostics,
        tags: app.tags,
        startedTime: app.startedTime,
        finishedTime: app.finishedTime,
        amAddress: app.amRPCAddress,
        proxyUrl: `${proxyBase}${app.id}/`,
      });
      /** `<rm>/proxy/`, worked out once per answer rather than once per application. */
      const proxyBaseOf = (rmUrl: string) => `${rmUrl.replace(/\/+$/, "")}/proxy/`;
      const reportsOf = ({ apps, rmUrl }: { apps: YarnApp[]; rmUrl: string }): AppReport[] => {
        const base = proxyBaseOf(rmUrl);
        return apps.map((a) => report(a, base));
      };
      const proxy = (app: AppReport) => clients.flinkAt(app.proxyUrl, "yarn-proxy", target.flinkVersion);
      return {
        async listActive() {
          return reportsOf(await measured(target.name, "yarn", yarn.listApps({ states: YARN_ACTIVE, applicationTypes: [FLINK_APP_TYPE], limit: LIST_LIMIT })));
        },
        async listEnded(finishedSince) {
          return reportsOf(
            await measured(
              target.name,
              "yarn",
              yarn.listApps({ states: YARN_ENDED, applicationTypes: [FLINK_APP_TYPE], finishedTimeBegin: finishedSince, limit: LIST_LIMIT }),
            ),
          );
        },
        async app(applicationId) {
          const found = await unlessNotFound(measured(target.name, "yarn", yarn.getApp(applicationId)));
          return found && report(found.app, proxyBaseOf(found.rmUrl));
        },
        async jobViaProxy(app, jobId) {
          const jobs = await unlessNotFound(measured(target.name, "flink", proxy(app).listJobs()));
          const job = jobs?.find((j) => j.jobId === jobId);
          if (!job) return undefined;
          const entered = job.lastModification;
          return { ...job, timestamps: entered ? { [job.state]: entered } : {} };
        },
        planViaProxy: (app, jobId) => measured(target.name, "flink", proxy(app).getJobPlan(jobId)),
        failuresViaProxy: (app, jobId) => jobsSource(target.name, "flink", proxy(app)).failures(jobId),
        checkpointViaProxy: (app, jobId) => jobsSource(target.name, "flink", proxy(app)).checkpoint(jobId),
      };
    },
  };
}
