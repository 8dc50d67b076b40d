import type { Clock } from "./clock.ts";
import { FlinkCluster, type FlinkClusterOptions } from "./flink-cluster.ts";
import { FlinkJob } from "./flink-job.ts";
import { FaultTable, RequestCounter } from "./faults.ts";
import { randomHex32 } from "./ids.ts";
import { resolveScript, type BehaviourRule } from "./job-script.ts";
import { Scheduler } from "./scheduler.ts";

export interface JobSubmission {
  jobId: string | null;
  entryClass: string | null;
  args: string[];
  parallelism: number | null;
  /** Effective Flink configuration of the job (`pipeline.name`, `execution.savepoint.path`, ...). */
  config: Record<string, string>;
}

export class DuplicateJobError extends Error {}

export interface HistoryServerSettings {
  /** Job end → visible on the History Server (archive write + `refresh-interval` poll; ~10–20 s in real life). */
  lagMs: number;
}

/** The emulator's whole state: clusters, jobs, behaviour rules, faults and counters. */
export class EmulatorModel {
  readonly scheduler: Scheduler;
  readonly rules: BehaviourRule[] = [];
  readonly sessions = new Map<string, FlinkCluster>();
  /** Every JobManager ever started (sessions and AMs, live or gone): the History Server reads their archives. */
  readonly clusters = new Set<FlinkCluster>();
  /** Latest cluster that ran each job id (an AM restart recovers the same job id in a new cluster). */
  readonly jobIndex = new Map<string, FlinkCluster>();
  readonly faults = new FaultTable();
  readonly counter = new RequestCounter();
  readonly history: HistoryServerSettings;
  readonly stopController = new AbortController();

  constructor(readonly clock: Clock, history: HistoryServerSettings) {
    this.scheduler = new Scheduler(clock);
    this.history = history;
  }

  now(): number {
    return this.clock.now();
  }

  /** `standalone`: a session cluster served under `/clusters/<name>` (AM clusters are reached via YARN). */
  addCluster(options: FlinkClusterOptions, standalone: boolean): FlinkCluster {
    if (standalone && this.sessions.has(options.name)) throw new Error(`session cluster ${options.name} already exists`);
    const cluster = new FlinkCluster(options);
    this.clusters.add(cluster);
    if (standalone) this.sessions.set(options.name, cluster);
    return cluster;
  }

  /** Runs the "main()" of a job on `cluster`: resolves its script and registers it. */
  submitJob(cluster: FlinkCluster, submission: JobSubmission): FlinkJob {
    const id = submission.jobId ?? randomHex32();
    if (cluster.jobs.has(id)) throw new DuplicateJobError(`Job has already been submitted.`);
    const jobName = submission.config["pipeline.name"] ?? null;
    const script = resolveScript(this.rules, {
      entryClass: submission.entryClass,
      args: submission.args,
      jobName,
      cluster: cluster.name,
    });
    const parallelism = submission.parallelism ?? (Number(submission.config["parallelism.default"]) || 1);
    const job = new FlinkJob({
      id,
      name: jobName ?? script.jobName ?? "Flink Streaming Job",
      script,
      submittedAt: this.now(),
      entryClass: submission.entryClass,
      args: submission.args,
      parallelism,
      config: submission.config,
    });
    cluster.addJob(job);
    this.jobIndex.set(id, cluster);
    return job;
  }

  findJob(jobId: string): { cluster: FlinkCluster; job: FlinkJob } | undefined {
    const cluster = this.jobIndex.get(jobId);
    const job = cluster?.jobs.get(jobId);
    return cluster && job ? { cluster, job } : undefined;
  }
}
