import { randomBytes } from "node:crypto";
import type { Clock } from "../domain/clock.ts";
import { newId } from "../domain/ids.ts";
import type { JobSpec, RunOverrides } from "../domain/job.ts";
import type { ArtifactRef, Run, RunSpec } from "../domain/run.ts";
import { yarnTagFor } from "../domain/run.ts";

/** Flink job ids are 32 lower-case hex characters (flink/NOTES.md). */
export function newFlinkJobId(): string {
  return randomBytes(16).toString("hex");
}

/** The effective submission: the job's definition with this run's overrides applied. */
export function effectiveSpec(job: JobSpec, artifact: ArtifactRef, overrides: RunOverrides, savepointPath: string | null): RunSpec {
  return {
    artifact,
    entryClass: job.entryClass ?? null,
    args: overrides.args ?? job.args,
    parallelism: overrides.parallelism ?? job.parallelism ?? null,
    flinkConfig: { ...job.flinkConfig, ...overrides.flinkConfig },
    savepointPath: savepointPath ?? overrides.savepointPath ?? job.savepointPath ?? null,
    allowNonRestoredState: overrides.allowNonRestoredState ?? job.allowNonRestoredState,
    restoreMode: overrides.restoreMode ?? job.restoreMode ?? null,
  };
}

/** A new run in PENDING with every ID it needs fixed before anything is sent. */
export function newRun(input: {
  clock: Clock;
  jobName: string | null;
  jobVersion: number | null;
  job: JobSpec;
  spec: RunSpec;
  callbackUrl: string | null;
  labels: Record<string, string>;
}): Run {
  const now = input.clock.now();
  const id = newId("run", input.clock);
  return {
    id,
    jobName: input.jobName,
    jobVersion: input.jobVersion,
    target: input.job.target,
    mode: input.job.mode,
    spec: input.spec,
    state: "PENDING",
    flinkState: null,
    flinkJobId: newFlinkJobId(),
    yarn: {
      applicationId: null,
      tag: input.job.mode === "session" ? null : yarnTagFor(id),
      state: null,
      finalStatus: null,
      diagnostics: null,
      amAddress: null,
    },
    jarId: null,
    finalStateSource: null,
    restarts: 0,
    lastSavepoint: null,
    lastCheckpoint: null,
    failureCause: null,
    callbackUrl: input.callbackUrl,
    labels: { ...input.job.labels, ...input.labels },
    createdAt: now,
    submittedAt: null,
    startedAt: null,
    endedAt: null,
    updatedAt: now,
    unseenSince: null,
  };
}
