import { ManualClock } from "./clock.ts";
import type { EmulatorModel } from "./emulator-model.ts";
import type { Fault, UpstreamCount } from "./faults.ts";
import type { FlinkCluster } from "./flink-cluster.ts";
import type { FlinkJob, JobStatus } from "./flink-job.ts";
import type { BehaviourRule } from "./job-script.ts";
import { failAttempt } from "./yarn-am-lifecycle.ts";
import type { FinalStatus, YarnState } from "./yarn-app.ts";
import type { ResourceManagerModel } from "./yarn-rm.ts";

export interface JobInfo {
  jobId: string;
  /** Session cluster name or YARN application id. */
  cluster: string;
  name: string;
  state: JobStatus;
  entryClass: string | null;
  args: string[];
  restarts: number;
  startTime: number;
  endTime: number;
}

export interface AppInfo {
  appId: string;
  name: string;
  type: string;
  tags: string[];
  state: YarnState;
  finalStatus: FinalStatus;
  diagnostics: string;
  attempt: number;
  amRpcAddress: string | null;
  /** The job id the AM runs (from `$internal.pipeline.job-id`, or generated), once it runs one. */
  jobId: string | null;
}

/** The in-process control API; every method also exists over HTTP under `/_emulator` (see README). */
export class EmulatorControl {
  constructor(
    private readonly model: EmulatorModel,
    private readonly rm: ResourceManagerModel,
    private readonly addSession: (name: string, flinkVersion?: string) => string,
  ) {}

  /** Moves a ManualClock forward and runs what became due (AM start/stop, YARN final states). */
  async advance(ms: number): Promise<void> {
    if (!(this.model.clock instanceof ManualClock)) throw new Error("advance() needs the emulator to run on a ManualClock");
    this.model.clock.advance(ms);
    await this.settle();
  }

  /** Runs due scheduled work and waits for AM ports to open or close. */
  async settle(): Promise<void> {
    await this.model.scheduler.runDue();
  }

  addSessionCluster(name: string, flinkVersion?: string): string {
    return this.addSession(name, flinkVersion);
  }

  addRule(rule: BehaviourRule): void {
    this.model.rules.push(rule);
  }

  clearRules(): void {
    this.model.rules.length = 0;
  }

  setFault(upstream: string, fault: Fault): void {
    this.model.faults.set(upstream, fault);
  }

  clearFaults(upstream?: string): void {
    this.model.faults.clear(upstream);
  }

  listFaults(): Record<string, Fault> {
    return this.model.faults.list();
  }

  counters(): Record<string, UpstreamCount> {
    return this.model.counter.snapshot();
  }

  /** Request totals by kind of upstream (`session`, `rm`, `proxy`, `am`, `history`): the part before the key's `:`. */
  counterTotals(): Record<string, number> {
    const totals: Record<string, number> = {};
    for (const [key, { total }] of Object.entries(this.model.counter.snapshot())) {
      const kind = key.split(":")[0] as string;
      totals[kind] = (totals[kind] ?? 0) + total;
    }
    return totals;
  }

  resetCounters(): void {
    this.model.counter.reset();
  }

  /** Swaps active and standby RM; returns the new active one. */
  failover(): "rm1" | "rm2" {
    this.rm.active = this.rm.active === "rm1" ? "rm2" : "rm1";
    return this.rm.active;
  }

  setActiveRm(active: "rm1" | "rm2" | null): void {
    this.rm.active = active;
  }

  setProxyNotFound(appId: string, enabled: boolean): void {
    this.#app(appId).proxyNotFound = enabled;
  }

  /** The AM container dies: a new attempt on a new port, or FAILED when attempts are used up. */
  failAmAttempt(appId: string): void {
    failAttempt(this.rm, this.#app(appId), 1);
  }

  forgetApps(filter: { ids?: string[]; finishedBefore?: number } = {}): string[] {
    return this.rm.forget(filter);
  }

  setHistoryLag(ms: number): void {
    this.model.history.lagMs = ms;
  }

  finishJob(jobId: string): void {
    this.#mutate(jobId, (job, now) => job.endAt(now, "FINISHED"));
  }

  failJob(jobId: string, message?: string): void {
    this.#mutate(jobId, (job, now) => job.endAt(now, "FAILED", message));
  }

  restartJob(jobId: string, message?: string): void {
    this.#mutate(jobId, (job, now) => job.restart(now, message));
  }

  cancelJob(jobId: string): void {
    this.#mutate(jobId, (job, now) => job.cancel(now).outcome === "accepted");
  }

  listJobs(filter: { cluster?: string } = {}): JobInfo[] {
    const out: JobInfo[] = [];
    for (const [jobId, cluster] of this.model.jobIndex) {
      if (filter.cluster !== undefined && cluster.name !== filter.cluster) continue;
      const info = this.job(jobId);
      if (info) out.push(info);
    }
    return out;
  }

  job(jobId: string): JobInfo | undefined {
    const found = this.model.findJob(jobId);
    return found ? jobInfo(found.cluster, found.job, this.model.now()) : undefined;
  }

  listApps(): AppInfo[] {
    return [...this.rm.apps.keys()].map((id) => this.app(id)!);
  }

  app(appId: string): AppInfo | undefined {
    const app = this.rm.apps.get(appId);
    if (!app) return undefined;
    return {
      appId: app.id, name: app.name, type: app.type, tags: app.tags, state: app.state, finalStatus: app.finalStatus,
      diagnostics: app.diagnostics, attempt: app.attempt, amRpcAddress: app.amRpcAddress, jobId: app.jobId,
    };
  }

  #app(appId: string) {
    const app = this.rm.apps.get(appId);
    if (!app) throw new Error(`unknown application ${appId}`);
    return app;
  }

  #mutate(jobId: string, change: (job: FlinkJob, now: number) => boolean): void {
    const found = this.model.findJob(jobId);
    if (!found) throw new Error(`unknown job ${jobId}`);
    if (!change(found.job, this.model.now())) throw new Error(`job ${jobId} has already ended`);
    found.cluster.changed(found.job);
  }
}

function jobInfo(cluster: FlinkCluster, job: FlinkJob, now: number): JobInfo {
  return {
    jobId: job.id, cluster: cluster.name, name: job.name, state: job.stateAt(now), entryClass: job.entryClass,
    args: job.args, restarts: job.restartsAt(now), startTime: job.submittedAt, endTime: job.endTimeAt(now),
  };
}
