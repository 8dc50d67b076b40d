import type { UpstreamName } from "../domain/errors.ts";
import type { SessionTarget, YarnTarget } from "../domain/target.ts";

/**
 * The reads the monitor needs, as a port: the reconcilers depend on this,
 * not on the Flink and YARN clients (src/monitor/upstream-sources.ts adapts
 * them). Every method throws UpstreamError on failure; `undefined` is a
 * positive "not known here" answer.
 */
export interface JobSummary {
  jobId: string;
  state: string;
  startTime?: number | undefined;
  endTime?: number | null | undefined;
  /** Flink's `last-modification`: when the job (or one of its tasks) last changed state. */
  lastModification?: number | undefined;
}

export interface JobDetail extends JobSummary {
  timestamps: Record<string, number>;
  plan?: Record<string, unknown> | undefined;
}

export interface CheckpointInfo {
  id: number;
  /** ISO time the checkpoint completed (its last acknowledgement). */
  completedAt: string;
  path: string | null;
}

export interface JobFailures {
  /** Failovers recorded in Flink's exception history (its restarts). */
  count: number;
  /** First line of the newest root exception. */
  latest?: string | undefined;
}

export interface AppReport {
  id: string;
  state: string;
  finalStatus: string;
  diagnostics: string;
  tags: string[];
  startedTime?: number | undefined;
  finishedTime: number | null;
  amAddress?: string | undefined;
  /** The RM proxy base for this application's Flink REST API (reads only). */
  proxyUrl: string;
}

export interface FlinkJobsSource {
  listJobs(): Promise<JobSummary[]>;
  job(jobId: string): Promise<JobDetail | undefined>;
  failures(jobId: string): Promise<JobFailures>;
  /** The newest completed checkpoint; null when none (or checkpointing is off). */
  checkpoint(jobId: string): Promise<CheckpointInfo | null>;
}

export interface YarnAppsSource {
  /** Applications of type Apache Flink that have not ended (one list call). */
  listActive(): Promise<AppReport[]>;
  /** Flink applications that ended since `finishedSince` (one list call). */
  listEnded(finishedSince: number): Promise<AppReport[]>;
  app(applicationId: string): Promise<AppReport | undefined>;
  /**
   * The job's state through the RM proxy, from the application cluster's
   * `/jobs/overview` (it runs one job): a few hundred bytes where the job's
   * detail carries every vertex and the plan. `timestamps` holds the time
   * the job entered its current state (`last-modification`); no plan.
   */
  jobViaProxy(app: AppReport, jobId: string): Promise<JobDetail | undefined>;
  /** The job graph plan through the RM proxy (read once per run). */
  planViaProxy(app: AppReport, jobId: string): Promise<Record<string, unknown>>;
  failuresViaProxy(app: AppReport, jobId: string): Promise<JobFailures>;
  checkpointViaProxy(app: AppReport, jobId: string): Promise<CheckpointInfo | null>;
}

export type RequestObserver = (record: { target: string; upstream: UpstreamName; ok: boolean; error?: unknown }) => void;

export interface MonitorSources {
  session(target: SessionTarget): FlinkJobsSource;
  historyServer(target: SessionTarget | YarnTarget): FlinkJobsSource | undefined;
  yarn(target: YarnTarget): YarnAppsSource;
}
