import type { EmulatorModel } from "./emulator-model.ts";
import type { FlinkCluster } from "./flink-cluster.ts";
import { yarnApplicationId } from "./ids.ts";
import { resolveScript } from "./job-script.ts";
import { isYarnTerminal, type FinalStatus, type YarnApp, type YarnState } from "./yarn-app.ts";
import { launchAmAttempt, type AmServerFactory } from "./yarn-am-lifecycle.ts";
import { submissionFacts, type ParsedSubmission, type SubmissionLimits } from "./yarn-submission.ts";

export interface ResourceManagerOptions extends SubmissionLimits {
  /** Flink version of the distribution the AMs run. */
  flinkVersion: string;
  /** yarn.resourcemanager.max-completed-applications (YARN default 1000): older finished apps are forgotten. */
  maxCompletedApps: number;
  /** Writes need `?user.name=` like a simple-auth RM (401 otherwise). */
  requireUser: boolean;
  /** Body of an empty app list: `{"apps":{}}` (Hadoop 3.x) or `{"apps":null}` (old 2.x). */
  emptyApps: "object" | "null";
  /** Delay between a REST kill request and the app reaching KILLED (the 202 → 200 window). */
  killMs: number;
}

/** Shared state of the RM pair (HA: both read one state store); which one is active is a control knob. */
export class ResourceManagerModel {
  readonly clusterTimestamp: number;
  readonly apps = new Map<string, YarnApp>();
  readonly #completed: string[] = [];
  #seq = 0;
  /** `rm1`, `rm2` or null (no active RM: standby answers "Can not find any active RM"). */
  active: "rm1" | "rm2" | null = "rm1";

  constructor(
    readonly model: EmulatorModel,
    readonly options: ResourceManagerOptions,
    readonly startAmServer: AmServerFactory,
    readonly historyServerUrl: () => string,
  ) {
    this.clusterTimestamp = model.now();
  }

  newApplicationId(): string {
    this.#seq += 1;
    return yarnApplicationId(this.clusterTimestamp, this.#seq);
  }

  /** Accepts a validated submission; a second submission of a known id is a no-op (ClientRMService). */
  submit(sub: ParsedSubmission, user: string): YarnApp {
    const existing = this.apps.get(sub.applicationId);
    if (existing) return existing;
    const now = this.model.now();
    const config = sub.flinkConfig;
    const facts = submissionFacts(sub.applicationId, config);
    let script;
    try {
      script = resolveScript(this.model.rules, facts);
    } catch {
      // A bad `--emulator.*` arg fails the job inside the AM later, not the RM submission.
      script = resolveScript(this.model.rules, { ...facts, args: facts.args.filter((a) => !a.startsWith("--emulator.")) });
    }
    const app: YarnApp = {
      id: sub.applicationId, user, name: sub.name, queue: sub.queue, type: sub.type, tags: sub.tags,
      priority: sub.priority, amMemoryMb: sub.memoryMb, amVCores: sub.vCores,
      startedTime: now, launchTime: 0, finishedTime: 0, state: "ACCEPTED", finalStatus: "UNDEFINED",
      diagnostics: "", maxAttempts: sub.maxAttempts, attempt: 1, entrypoint: sub.entrypoint,
      hasCommand: sub.hasCommand, flinkConfig: config, script, am: null, amRpcAddress: null,
      finalTrackingUrl: null, proxyNotFound: false, jobId: null,
    };
    this.apps.set(app.id, app);
    this.model.scheduler.at(now + script.deployMs, () => launchAmAttempt(this, app));
    return app;
  }

  /** The AM unregistered (or the RM ended the app): records the outcome, closes the AM port, forgets old apps. */
  finish(app: YarnApp, state: YarnState, finalStatus: FinalStatus, diagnostics: string): void {
    if (isYarnTerminal(app.state)) return;
    const now = this.model.now();
    app.state = state;
    app.finalStatus = finalStatus;
    app.diagnostics = diagnostics;
    app.finishedTime = now;
    this.stopAm(app, now);
    this.#completed.push(app.id);
    while (this.#completed.length > this.options.maxCompletedApps) this.apps.delete(this.#completed.shift()!);
  }

  stopAm(app: YarnApp, now: number): void {
    const am = app.am;
    if (!am) return;
    app.am = null;
    am.cluster.goneAt ??= now;
    am.server.close();
    am.server.closeAllConnections();
  }

  /** REST kill: KILLED/KILLED once `killMs` passed; a JobManager killed this way archives nothing. */
  kill(app: YarnApp, user: string): void {
    const done = (): void =>
      this.finish(app, "KILLED", "KILLED", `Application ${app.id} was killed by user ${user} at 127.0.0.1`);
    if (this.options.killMs <= 0) done();
    else this.model.scheduler.at(this.model.now() + this.options.killMs, done);
  }

  /** Forget finished applications (as the RM does past max-completed-applications). Returns the ids dropped. */
  forget(filter: { ids?: string[]; finishedBefore?: number }): string[] {
    const dropped: string[] = [];
    for (const app of [...this.apps.values()]) {
      if (!isYarnTerminal(app.state)) continue;
      if (filter.ids && !filter.ids.includes(app.id)) continue;
      if (filter.finishedBefore !== undefined && app.finishedTime >= filter.finishedBefore) continue;
      this.apps.delete(app.id);
      dropped.push(app.id);
    }
    const gone = new Set(dropped);
    this.#completed.splice(0, this.#completed.length, ...this.#completed.filter((id) => !gone.has(id)));
    return dropped;
  }

  clusterOf(app: YarnApp): FlinkCluster | null {
    return app.am?.cluster ?? null;
  }
}
