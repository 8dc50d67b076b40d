import { ConflictError, NotFoundError, UpstreamError } from "../domain/errors.ts";
import type { Run } from "../domain/run.ts";
import type { Target, YarnTarget } from "../domain/target.ts";
import type { FlinkClient } from "../flink/flink-client.ts";
import type { SavepointOperationResult } from "../flink/flink-operation-schemas.ts";
import { isTerminalAppState } from "../yarn/yarn-enums.ts";
import type { YarnApp } from "../yarn/yarn-schemas.ts";
import type { LaunchClients } from "./launch-clients.ts";
import type { JobControl, SavepointStatus } from "./launcher.ts";
import { savepointAfterClusterEnd } from "./savepoint-after-cluster-end.ts";
import { findYarnApp } from "./yarn-app-lookup.ts";

/**
 * Actions on a run's job. Session runs talk to the session cluster. YARN runs
 * read the application from the RM on every call and write to the
 * JobManager's own address (`amRPCAddress` = host:restPort): the RM proxy
 * forwards GET/PUT only and the port changes with each AM attempt
 * (NOTES-flink-on-yarn.md "Finding the Flink REST endpoint"), so nothing is
 * cached across calls.
 */
export function createJobControl(deps: { clients: LaunchClients }): JobControl {
  const { clients } = deps;

  async function yarnApp(run: Run, target: YarnTarget): Promise<YarnApp> {
    const app = await findYarnApp(clients.yarn(target), run);
    if (!app) throw new NotFoundError("YARN application of run", run.id);
    return app;
  }

  /** The JobManager of a running application, or null while ACCEPTED (not registered) or after it ended. */
  function jobManager(app: YarnApp, target: YarnTarget): FlinkClient | null {
    if (app.state !== "RUNNING" || !app.amRPCAddress) return null;
    return clients.flinkAt(`http://${app.amRPCAddress}`, "jobmanager", target.flinkVersion);
  }

  async function writeClient(run: Run, target: Target): Promise<FlinkClient> {
    if (target.kind === "session") return clients.session(target);
    const app = await yarnApp(run, target);
    const jm = jobManager(app, target);
    if (!jm) throw new ConflictError(`application ${app.id} is ${app.state}: its JobManager is not serving`, "run-not-running");
    return jm;
  }

  return {
    async cancel(run, target) {
      if (target.kind === "session") {
        await clients.session(target).cancelJob(run.flinkJobId);
        return { via: "flink" };
      }
      const app = await yarnApp(run, target);
      if (isTerminalAppState(app.state)) throw new ConflictError(`application ${app.id} has already ended (${app.state}/${app.finalStatus})`, "run-already-ended");
      const jm = jobManager(app, target);
      if (jm) {
        try {
          // Through Flink, so the job ends CANCELED and the AM unregisters with KILLED, archiving the job.
          await jm.cancelJob(run.flinkJobId);
          return { via: "flink" };
        } catch (err) {
          // Only "could not reach it" falls back; a JobManager that answered (404, 409, 5xx) has spoken.
          if (!(err instanceof UpstreamError && ["refused", "reset", "timeout"].includes(err.failure))) throw err;
        }
      }
      // No JobManager yet (ACCEPTED) or unreachable: only YARN can stop the application.
      await clients.yarn(target).killApp(app.id, { diagnostics: `cancelled by flinkgate (run ${run.id})` });
      return { via: "yarn-kill" };
    },

    async triggerSavepoint(run, target, options) {
      const client = await writeClient(run, target);
      const triggerId = await client.triggerSavepoint(run.flinkJobId, { ...dir(options.targetDirectory), ...withTrigger(options.triggerId) });
      return { triggerId };
    },

    async stopWithSavepoint(run, target, options) {
      const client = await writeClient(run, target);
      const triggerId = await client.stopWithSavepoint(run.flinkJobId, { ...dir(options.targetDirectory), ...withTrigger(options.triggerId), drain: options.drain });
      return { triggerId };
    },

    async savepointStatus(run, target, triggerId) {
      if (target.kind === "session") return toStatus(await clients.session(target).getSavepointStatus(run.flinkJobId, triggerId));
      let app = await yarnApp(run, target);
      const jm = jobManager(app, target);
      if (jm) {
        try {
          return toStatus(await jm.getSavepointStatus(run.flinkJobId, triggerId));
        } catch (err) {
          if (!(err instanceof UpstreamError && err.isTransport)) throw err;
          // A stop-with-savepoint ends the job and the cluster with it: the AM may be gone already.
          app = await yarnApp(run, target);
          if (!isTerminalAppState(app.state)) throw err;
        }
      }
      if (!isTerminalAppState(app.state)) return { state: "IN_PROGRESS" }; // ACCEPTED: a new AM attempt is starting
      return savepointAfterClusterEnd(run, target, app, clients);
    },
  };
}

function dir(targetDirectory: string | null): { targetDirectory?: string } {
  return targetDirectory === null ? {} : { targetDirectory };
}

function toStatus(r: SavepointOperationResult): SavepointStatus {
  if (r.state === "IN_PROGRESS") return { state: "IN_PROGRESS" };
  if (r.state === "SUCCEEDED") return { state: "SUCCEEDED", location: r.location };
  return { state: "FAILED", failureCause: r.failureCause.className ? `${r.failureCause.className}: ${r.failureCause.message}` : r.failureCause.message };
}

/** A trigger id chosen by flinkgate makes a repeated trigger the same Flink operation (1.15+). */
function withTrigger(triggerId: string | undefined): { triggerId?: string } {
  return triggerId === undefined ? {} : { triggerId };
}
