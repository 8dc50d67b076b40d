import type { Kysely } from "kysely";
import type { Clock } from "../domain/clock.ts";
import { ConflictError, type FieldIssue, NotFoundError, ValidationError } from "../domain/errors.ts";
import type { JobSpec } from "../domain/job.ts";
import type { RunMode } from "../domain/run-state.ts";
import type { Target } from "../domain/target.ts";
import { findArtifact } from "../store/artifact-repository.ts";
import { deleteJob, findJobVersion, findLatestJob, type JobVersion, listJobVersions, listLatestJobs, saveJob } from "../store/job-repository.ts";
import type { Database } from "../store/schema.ts";
import { findTarget } from "../store/target-repository.ts";

/** A session cluster runs jobs in itself; a YARN target starts a cluster per job (per-job) or per application. */
const MODES_BY_KIND: Record<Target["kind"], readonly RunMode[]> = {
  session: ["session"],
  yarn: ["per-job", "application"],
};

export type JobService = ReturnType<typeof createJobService>;

export function createJobService(deps: { db: Kysely<Database>; clock: Clock }) {
  /** A job may only name things that exist, so a run of it does not fail at submission for a typo. */
  async function checkReferences(spec: JobSpec): Promise<void> {
    const issues: FieldIssue[] = [];
    const stored = await findTarget(deps.db, spec.target);
    if (!stored) {
      issues.push({ field: "body.target", message: `target '${spec.target}' does not exist` });
    } else {
      const modes = MODES_BY_KIND[stored.target.kind];
      if (!modes.includes(spec.mode)) {
        issues.push({ field: "body.mode", message: `a ${stored.target.kind} target runs ${modes.map((m) => `'${m}'`).join(" or ")} jobs, not '${spec.mode}'` });
      }
    }
    if ("id" in spec.artifact && !(await findArtifact(deps.db, spec.artifact.id))) {
      issues.push({ field: "body.artifact.id", message: `artifact '${spec.artifact.id}' does not exist` });
    }
    if (issues.length > 0) throw new ValidationError(issues);
  }

  async function getLive(name: string): Promise<JobVersion> {
    const job = await findLatestJob(deps.db, name);
    if (!job) throw new NotFoundError("job", name);
    return job;
  }

  return {
    async create(name: string, spec: JobSpec): Promise<JobVersion> {
      await checkReferences(spec);
      const saved = await saveJob(deps.db, name, spec, deps.clock.now(), "create");
      if (!saved) throw new ConflictError(`job '${name}' already exists; PUT /v1/jobs/${name} adds a version`, "job-exists");
      return saved.job;
    },

    /** Creates the job, or adds a version when the spec differs from the latest one. */
    async put(name: string, spec: JobSpec): Promise<{ job: JobVersion; created: boolean; changed: boolean }> {
      await checkReferences(spec);
      const saved = await saveJob(deps.db, name, spec, deps.clock.now(), "upsert");
      if (!saved) throw new Error(`saving job '${name}' in upsert mode returned nothing`);
      return saved;
    },

    /** The latest version, or the given one. A deleted job is gone, with all its versions. */
    async get(name: string, version?: number): Promise<JobVersion> {
      const latest = await getLive(name);
      if (version === undefined || version === latest.version) return latest;
      const found = version < latest.version ? await findJobVersion(deps.db, name, version) : undefined;
      if (!found) throw new NotFoundError("job version", `${name}@${version}`);
      return found;
    },

    list: (page: { limit: number; after: string | undefined }) => listLatestJobs(deps.db, page),

    async versions(name: string, page: { limit: number; before: number | undefined }): Promise<JobVersion[]> {
      await getLive(name);
      return listJobVersions(deps.db, name, page);
    },

    async delete(name: string): Promise<void> {
      if (!(await deleteJob(deps.db, name, deps.clock.now()))) throw new NotFoundError("job", name);
    },
  };
}
