import type { Server } from "node:http";
import type { FlinkCluster } from "./flink-cluster.ts";
import { isGloballyTerminal, type FlinkJob } from "./flink-job.ts";
import { flinkFeatures } from "./flink-version.ts";
import { isYarnTerminal, type FinalStatus, type YarnApp } from "./yarn-app.ts";
import type { ResourceManagerModel } from "./yarn-rm.ts";
import { submissionFacts } from "./yarn-submission.ts";

/** Opens the REST port of one AM attempt (port 0: a new random port per attempt, like `rest.bind-port=0`). */
export type AmServerFactory = (app: YarnApp, cluster: FlinkCluster) => Promise<{ server: Server; port: number }>;

/** Flink ApplicationStatus → YARN finalStatus (YarnResourceManagerDriver.getYarnStatus). */
const FINAL_STATUS: Record<string, FinalStatus> = { FINISHED: "SUCCEEDED", FAILED: "FAILED", CANCELED: "KILLED" };

/**
 * Starts an AM attempt: the container comes up, the JobManager opens its REST port and
 * registers with the RM (amRPCAddress = host:restPort, NOTES-flink-on-yarn.md), and in
 * application / per-job mode runs its job. The app shows ACCEPTED until registration.
 */
export async function launchAmAttempt(rm: ResourceManagerModel, app: YarnApp): Promise<void> {
  if (isYarnTerminal(app.state)) return;
  const now = rm.model.now();
  const perJobOnV2 = app.entrypoint === "per-job" && flinkFeatures(rm.options.flinkVersion).v2;
  if (!app.hasCommand || perJobOnV2) {
    // The container exits at once: an empty command, or per-job mode removed in Flink 2.0 (FLINK-36310).
    return failAttempt(rm, app, perJobOnV2 ? 1 : 127);
  }
  if (app.entrypoint === null) {
    // Not a Flink AM: a generic application that runs until killed, with no REST endpoint.
    app.state = "RUNNING";
    app.launchTime = now;
    return;
  }
  const features = flinkFeatures(rm.options.flinkVersion);
  const cluster = rm.model.addCluster(
    {
      name: app.id,
      kind: app.entrypoint === "session" ? "session" : "application",
      flinkVersion: rm.options.flinkVersion,
      taskManagers: 1,
      slotsPerTaskManager: 1,
      jobStoreExpirationMs: 3_600_000,
      savepointDir: app.flinkConfig[features.savepointDirKey] ?? null,
      archive: true,
    },
    false,
  );
  const { server, port } = await rm.startAmServer(app, cluster);
  if (isYarnTerminal(app.state)) {
    server.close();
    return;
  }
  cluster.address = `http://127.0.0.1:${port}`;
  app.am = { server, port, cluster };
  app.amRpcAddress = `127.0.0.1:${port}`;
  app.state = "RUNNING";
  app.launchTime = rm.model.now();
  // DELETE /cluster: the AM unregisters with SUCCEEDED (session or application alike).
  cluster.onShutdown = () => rm.finish(app, "FINISHED", "SUCCEEDED", "");
  if (app.entrypoint === "session") return;
  cluster.onJobChanged = (job) => scheduleEndCheck(rm, app, job);
  const facts = submissionFacts(app.id, app.flinkConfig);
  try {
    const job = rm.model.submitJob(cluster, {
      jobId: app.flinkConfig["$internal.pipeline.job-id"] ?? null,
      entryClass: facts.entryClass,
      args: facts.args,
      parallelism: null,
      config: app.flinkConfig,
    });
    app.jobId = job.id;
  } catch (error) {
    // The application's main() failed before a job existed: the cluster shuts down as FAILED.
    rm.finish(app, "FINISHED", "FAILED", `org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: ${(error as Error).message}`);
  }
}

function scheduleEndCheck(rm: ResourceManagerModel, app: YarnApp, job: FlinkJob): void {
  const end = job.terminalAt();
  if (end === null) return;
  rm.model.scheduler.at(end + app.script.shutdownMs, () => {
    if (app.am?.cluster.jobs.get(job.id) !== job) return;
    const state = job.stateAt(rm.model.now());
    if (!isGloballyTerminal(state)) return;
    // The AM passes the failure cause as diagnostics; a finished or cancelled job passes none.
    const diagnostics = state === "FAILED" ? (job.failuresAt(rm.model.now()).at(-1)?.message ?? "") : "";
    if (app.flinkConfig["historyserver.web.address"]) app.finalTrackingUrl = rm.historyServerUrl();
    rm.finish(app, "FINISHED", FINAL_STATUS[state] ?? "UNDEFINED", diagnostics);
  });
}

/**
 * The AM container died. With attempts left YARN starts a new one (new port, the job id is
 * recovered from the config); otherwise the app ends FAILED/FAILED.
 */
export function failAttempt(rm: ResourceManagerModel, app: YarnApp, exitCode = 1): void {
  if (isYarnTerminal(app.state)) return;
  const now = rm.model.now();
  rm.stopAm(app, now);
  app.amRpcAddress = null;
  if (app.attempt < app.maxAttempts) {
    app.attempt += 1;
    app.state = "ACCEPTED";
    app.launchTime = 0;
    rm.model.scheduler.at(now + app.script.deployMs, () => launchAmAttempt(rm, app));
    return;
  }
  const attemptId = `appattempt_${app.id.slice("application_".length)}_${String(app.attempt).padStart(6, "0")}`;
  rm.finish(
    app,
    "FAILED",
    "FAILED",
    `Application ${app.id} failed ${app.maxAttempts} times due to AM Container for ${attemptId} exited with  exitCode: ${exitCode}\nFailing this attempt.Diagnostics: Exception from container-launch.\nFor more detailed output, check the application tracking page: ${app.id} Then click on links to logs of each attempt.\n. Failing the application.`,
  );
}
