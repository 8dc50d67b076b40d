import { FlinkJob, isGloballyTerminal } from "./flink-job.ts";
import { flinkFeatures, type FlinkFeatures } from "./flink-version.ts";

export interface JarFile {
  id: string;
  name: string;
  uploaded: number;
}

export interface SavepointOp {
  triggerId: string;
  jobId: string;
  requestedAt: number;
  completesAt: number;
  location: string | null;
  failure: { className: string; message: string } | null;
}

export interface FlinkClusterOptions {
  /** Session cluster name, or the YARN application id for AM clusters. */
  name: string;
  /** `session` serves /jars/*; `application` (application or per-job mode) does not (flink/NOTES.md). */
  kind: "session" | "application";
  flinkVersion: string;
  taskManagers: number;
  slotsPerTaskManager: number;
  /** `jobstore.expiration-time`: how long a finished job stays on the JobManager (default 3600 s). */
  jobStoreExpirationMs: number;
  /** Default savepoint directory from the cluster config; null means "not set" (→ 400 without targetDirectory). */
  savepointDir: string | null;
  /** Whether terminal jobs are archived for the History Server (`jobmanager.archive.fs.dir` set). */
  archive: boolean;
}

/** Called after anything that may move a job's end; the YARN side uses it to schedule the AM shutdown. */
export type JobChangedHook = (job: FlinkJob, cluster: FlinkCluster) => void;

/** One JobManager: its jobs, uploaded jars and savepoint operations. */
export class FlinkCluster {
  readonly options: FlinkClusterOptions;
  readonly features: FlinkFeatures;
  readonly jobs = new Map<string, FlinkJob>();
  readonly jars = new Map<string, JarFile>();
  /** Keyed `<jobId>/<triggerId>`; kept for `rest.async.store-duration` (5 min) after completion. */
  readonly savepoints = new Map<string, SavepointOp>();
  readonly uploadDir = `/tmp/flink-web-${crypto.randomUUID()}/flink-web-upload`;
  /** Base URL the REST endpoint is reachable at (JarListInfo.address). */
  address = "";
  /** Set when the JobManager process is gone (YARN kill, AM crash, DELETE /cluster); nothing after it is archived. */
  goneAt: number | null = null;
  onJobChanged: JobChangedHook = () => {};
  /** DELETE /cluster: a session cluster goes away; an AM also unregisters from YARN with SUCCEEDED. */
  onShutdown: (now: number) => void = (now) => {
    this.goneAt = now;
  };

  constructor(options: FlinkClusterOptions) {
    this.options = options;
    this.features = flinkFeatures(options.flinkVersion);
  }

  get name(): string {
    return this.options.name;
  }

  /** The job as the JobManager shows it: gone once `jobstore.expiration-time` passed after its end. */
  visibleJob(id: string, now: number): FlinkJob | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    const end = job.endTimeAt(now);
    return end !== -1 && end + this.options.jobStoreExpirationMs < now ? undefined : job;
  }

  visibleJobs(now: number): FlinkJob[] {
    const out: FlinkJob[] = [];
    for (const id of this.jobs.keys()) {
      const job = this.visibleJob(id, now);
      if (job) out.push(job);
    }
    return out;
  }

  addJob(job: FlinkJob): void {
    this.jobs.set(job.id, job);
    this.onJobChanged(job, this);
  }

  changed(job: FlinkJob): void {
    this.onJobChanged(job, this);
  }

  /** Archived jobs: ended before the JobManager went away (a killed JM writes no archive). */
  archivedJobs(): Array<{ job: FlinkJob; end: number }> {
    if (!this.options.archive) return [];
    const out: Array<{ job: FlinkJob; end: number }> = [];
    for (const job of this.jobs.values()) {
      const end = job.terminalAt();
      if (end !== null && (this.goneAt === null || end <= this.goneAt)) out.push({ job, end });
    }
    return out;
  }

  runningSlots(now: number): number {
    let used = 0;
    for (const job of this.jobs.values()) if (!isGloballyTerminal(job.stateAt(now))) used += job.parallelism;
    return used;
  }

  savepointFor(jobId: string, triggerId: string, now: number): SavepointOp | undefined {
    const op = this.savepoints.get(`${jobId}/${triggerId}`);
    if (op && op.completesAt + 300_000 < now) {
      this.savepoints.delete(`${jobId}/${triggerId}`);
      return undefined;
    }
    return op;
  }

  latestSavepoint(jobId: string, now: number): SavepointOp | undefined {
    let latest: SavepointOp | undefined;
    for (const op of this.savepoints.values()) {
      if (op.jobId === jobId && op.location && op.completesAt <= now && (!latest || op.completesAt > latest.completesAt)) latest = op;
    }
    return latest;
  }
}

