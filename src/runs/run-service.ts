import type { Kysely } from "kysely";
import type { Clock } from "../domain/clock.ts";
import { ConflictError, GatewayError, NotFoundError, ValidationError } from "../domain/errors.ts";
import type { JobSpec, RunOverrides } from "../domain/job.ts";
import type { ArtifactRef, Run } from "../domain/run.ts";
import type { RunMode } from "../domain/run-state.ts";
import type { Target } from "../domain/target.ts";
import type { Launcher } from "../launch/launcher.ts";
import type { Logger } from "../logging/logger.ts";
import { findArtifact } from "../store/artifact-repository.ts";
import { listEvents, type StoredEvent } from "../store/event-repository.ts";
import { findLatestJob } from "../store/job-repository.ts";
import { claimRun, findRun, findRunPlan, listRuns, listUnsubmittedRuns, releaseRunClaim, type RunFilter } from "../store/run-repository.ts";
import type { Database } from "../store/schema.ts";
import { findTarget } from "../store/target-repository.ts";
import { effectiveSpec, newRun } from "./build-run.ts";
import type { RunWriter } from "./run-writer.ts";
import { type SubmitOutcome, submitRun } from "./submit-run.ts";

export interface RunServiceDeps {
  db: Kysely<Database>;
  clock: Clock;
  writer: RunWriter;
  logger: Logger;
  launcherFor: (target: Target, mode: RunMode) => Launcher;
  /** Where a stored artifact's jar is on disk. */
  artifactPath: (sha256: string) => string;
  replicaId: string;
  claimTimeoutMs: number;
  onSubmitted?: (record: { mode: RunMode; outcome: "success" | "failure" | "recovered"; seconds: number }) => void;
}

export function createRunService(deps: RunServiceDeps) {
  const claimUntil = () => new Date(deps.clock.now().getTime() + deps.claimTimeoutMs);
  const pathOf = (run: Run) => (run.spec.artifact.kind === "stored" ? deps.artifactPath(run.spec.artifact.sha256) : null);

  async function resolveArtifact(job: JobSpec, field: string): Promise<ArtifactRef> {
    if ("uri" in job.artifact) return { kind: "uri", uri: job.artifact.uri };
    const artifact = await findArtifact(deps.db, job.artifact.id);
    if (!artifact) throw new ValidationError([{ field, message: `artifact '${job.artifact.id}' does not exist` }]);
    return { kind: "stored", id: artifact.id, sha256: artifact.sha256, fileName: artifact.fileName, sizeBytes: artifact.sizeBytes };
  }

  async function savepointOf(runId: string | undefined): Promise<string | null> {
    if (runId === undefined) return null;
    const source = await findRun(deps.db, runId);
    if (!source) throw new ValidationError([{ field: "body.fromRun", message: `run '${runId}' does not exist` }]);
    if (!source.lastSavepoint) throw new ConflictError(`run '${runId}' has no savepoint to start from`, "no-savepoint");
    return source.lastSavepoint;
  }

  function record(run: Run, outcome: SubmitOutcome, started: number) {
    if (outcome.kind === "undetermined" || outcome.kind === "superseded") return;
    const result = outcome.kind === "failed" ? "failure" : outcome.recovered ? "recovered" : "success";
    deps.onSubmitted?.({ mode: run.mode, outcome: result, seconds: (performance.now() - started) / 1000 });
  }

  async function submitNew(input: { jobName: string | null; jobVersion: number | null; job: JobSpec; overrides: RunOverrides; fieldPrefix: string }) {
    const stored = await findTarget(deps.db, input.job.target);
    const targetGone = () => new ValidationError([{ field: `${input.fieldPrefix}target`, message: `target '${input.job.target}' does not exist` }]);
    if (!stored) throw targetGone();
    const launcher = deps.launcherFor(stored.target, input.job.mode);
    const artifact = await resolveArtifact(input.job, `${input.fieldPrefix}artifact.id`);
    const spec = effectiveSpec(input.job, artifact, input.overrides, await savepointOf(input.overrides.fromRun));
    const run = await deps.writer.create(
      newRun({ clock: deps.clock, jobName: input.jobName, jobVersion: input.jobVersion, job: input.job, spec, callbackUrl: input.overrides.callbackUrl ?? null, labels: input.overrides.labels ?? {} }),
      { by: deps.replicaId, until: claimUntil() },
    );
    if (!run) throw targetGone(); // deleted since it was read
    const started = performance.now();
    const outcome = await submitRun({ writer: deps.writer, launcher, now: () => deps.clock.now() }, run, stored.target, pathOf(run));
    record(run, outcome, started);
    // An undetermined submission keeps its claim until it expires, so recovery
    // looks again only after the cluster had time to act on the request.
    if (outcome.kind !== "undetermined") await releaseRunClaim(deps.db, run.id, deps.replicaId);
    if (outcome.kind === "superseded") return { kind: "superseded" as const, run: (await findRun(deps.db, run.id)) ?? run };
    return outcome;
  }

  return {
    async createFromJob(name: string, overrides: RunOverrides) {
      const job = await findLatestJob(deps.db, name);
      if (!job) throw new NotFoundError("job", name);
      return submitNew({ jobName: job.name, jobVersion: job.version, job: job.spec, overrides, fieldPrefix: "job." });
    },

    async createInline(job: JobSpec, overrides: RunOverrides) {
      return submitNew({ jobName: null, jobVersion: null, job, overrides, fieldPrefix: "body.job." });
    },

    async get(id: string): Promise<Run> {
      const run = await findRun(deps.db, id);
      if (!run) throw new NotFoundError("run", id);
      return run;
    },

    list: (filter: RunFilter, page: { limit: number; before: string | undefined }) => listRuns(deps.db, filter, page),

    /** The run's events in order, after `afterSeq`. */
    async events(id: string, page: { afterSeq: number; limit: number }): Promise<StoredEvent[]> {
      if (!(await findRun(deps.db, id))) throw new NotFoundError("run", id);
      return listEvents(deps.db, { afterSeq: page.afterSeq, limit: page.limit, runId: id });
    },

    async plan(id: string): Promise<Record<string, unknown>> {
      const row = await findRunPlan(deps.db, id);
      if (!row) throw new NotFoundError("run", id);
      if (!row.plan) {
        throw new GatewayError({ status: 404, type: "plan-not-available", title: "Plan not available", detail: `the job graph of run '${id}' has not been seen yet` });
      }
      return row.plan;
    },

    /**
     * Resolves runs left in PENDING / SUBMITTING by a gateway that stopped
     * (or whose request timed out): re-attach when the cluster has the job,
     * submit again only when it provably does not.
     */
    async recover(limit = 20): Promise<number> {
      const runs = await listUnsubmittedRuns(deps.db, deps.clock.now(), limit);
      let resolved = 0;
      for (const candidate of runs) {
        const run = await claimRun(deps.db, candidate.id, deps.replicaId, deps.clock.now(), claimUntil());
        if (!run || (run.state !== "PENDING" && run.state !== "SUBMITTING")) continue;
        try {
          const stored = await findTarget(deps.db, run.target);
          if (!stored) {
            await deps.writer.change(run.id, ["PENDING", "SUBMITTING"], { state: "FAILED", failureCause: `target '${run.target}' was deleted before the run was submitted`, endedAt: deps.clock.now() }, "recovery");
            continue;
          }
          const started = performance.now();
          const outcome = await submitRun({ writer: deps.writer, launcher: deps.launcherFor(stored.target, run.mode), now: () => deps.clock.now() }, run, stored.target, pathOf(run));
          record(run, outcome, started);
          deps.logger.info({ runId: run.id, outcome: outcome.kind }, "submission recovered");
          if (outcome.kind === "undetermined") continue; // keep the claim: look again once it expires
          resolved++;
        } catch (error) {
          deps.logger.warn({ err: error, runId: run.id }, "submission recovery failed; will retry");
        }
        await releaseRunClaim(deps.db, run.id, deps.replicaId);
      }
      return resolved;
    },
  };
}

export type RunService = ReturnType<typeof createRunService>;
