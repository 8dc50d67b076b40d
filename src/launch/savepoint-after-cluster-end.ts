import { UpstreamError } from "../domain/errors.ts";
import type { Run } from "../domain/run.ts";
import type { YarnTarget } from "../domain/target.ts";
import type { YarnApp } from "../yarn/yarn-schemas.ts";
import type { LaunchClients } from "./launch-clients.ts";
import type { SavepointStatus } from "./launcher.ts";

/**
 * The savepoint result once an application cluster is gone. Savepoint
 * trigger ids live only in the JobManager's memory and the History Server
 * does not archive them (flink/NOTES.md "History Server"), so the answer is
 * read from what is left:
 * - YARN finalStatus FAILED / KILLED: a successful stop-with-savepoint ends
 *   the job FINISHED → SUCCEEDED (NOTES-flink-on-yarn.md), so the operation
 *   did not complete as asked → FAILED.
 * - SUCCEEDED with a History Server: the archived `/jobs/:id/checkpoints`
 *   names the latest savepoint. It is not tied to the trigger id, but an
 *   application cluster that ended SUCCEEDED right after a stop was ended by
 *   that stop, so its last savepoint is the one asked for.
 * - otherwise (no History Server, or its archive not there yet — it polls
 *   every 10 s): IN_PROGRESS. The caller keeps polling and settles the
 *   operation from the run's final state; a guess would be worse.
 */
export async function savepointAfterClusterEnd(run: Run, target: YarnTarget, app: YarnApp, clients: LaunchClients): Promise<SavepointStatus> {
  if (app.finalStatus === "FAILED" || app.finalStatus === "KILLED") {
    return { state: "FAILED", failureCause: `the application cluster ended ${app.state}/${app.finalStatus} before the savepoint result could be read${app.diagnostics ? `: ${app.diagnostics}` : ""}` };
  }
  if (app.finalStatus !== "SUCCEEDED" || target.historyServerUrl === undefined) return { state: "IN_PROGRESS" };
  const hs = clients.flinkAt(target.historyServerUrl, "history-server", target.flinkVersion);
  try {
    const stats = await hs.getJobCheckpoints(run.flinkJobId);
    const sp = stats?.latestSavepoint;
    if (sp?.status === "COMPLETED" && sp.externalPath) return { state: "SUCCEEDED", location: sp.externalPath };
    return { state: "IN_PROGRESS" };
  } catch (err) {
    // Not archived yet: the History Server learns about the job on its next poll.
    if (err instanceof UpstreamError && err.failure === "not-found") return { state: "IN_PROGRESS" };
    throw err;
  }
}
