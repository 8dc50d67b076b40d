import type { Run } from "./run.ts";

/**
 * The run as the API and events show it (DESIGN.md "The run resource").
 * Clients code against these field names: extend, never rename.
 */
export function runResource(run: Run) {
  return {
    id: run.id,
    job: run.jobName,
    jobVersion: run.jobVersion,
    target: run.target,
    mode: run.mode,
    state: run.state,
    flinkState: run.flinkState,
    yarn:
      run.mode === "session"
        ? null
        : {
            applicationId: run.yarn.applicationId,
            tag: run.yarn.tag,
            state: run.yarn.state,
            finalStatus: run.yarn.finalStatus,
            diagnostics: run.yarn.diagnostics,
          },
    flinkJobId: run.flinkJobId,
    finalStateSource: run.finalStateSource,
    restarts: run.restarts,
    lastSavepoint: run.lastSavepoint,
    lastCheckpoint: run.lastCheckpoint,
    failureCause: run.failureCause,
    artifact: run.spec.artifact.kind === "stored" ? { id: run.spec.artifact.id } : { uri: run.spec.artifact.uri },
    entryClass: run.spec.entryClass,
    args: run.spec.args,
    parallelism: run.spec.parallelism,
    savepointPath: run.spec.savepointPath,
    callbackUrl: run.callbackUrl,
    createdAt: run.createdAt.toISOString(),
    submittedAt: run.submittedAt?.toISOString() ?? null,
    startedAt: run.startedAt?.toISOString() ?? null,
    endedAt: run.endedAt?.toISOString() ?? null,
    updatedAt: run.updatedAt.toISOString(),
    labels: run.labels,
  };
}

export type RunResource = ReturnType<typeof runResource>;
