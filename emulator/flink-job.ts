import type { JobScript } from "./job-script.ts";

/** JobStatus in declaration order (flink/NOTES.md "Job status enum"). */
export const JOB_STATUSES = [
  "INITIALIZING", "CREATED", "RUNNING", "FAILING", "FAILED", "CANCELLING",
  "CANCELED", "FINISHED", "RESTARTING", "SUSPENDED", "RECONCILING",
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

const GLOBALLY_TERMINAL: ReadonlySet<JobStatus> = new Set(["FINISHED", "CANCELED", "FAILED"]);
export const isGloballyTerminal = (s: JobStatus): boolean => GLOBALLY_TERMINAL.has(s);

interface Phase {
  state: JobStatus;
  at: number;
}

export interface JobFailure {
  at: number;
  exceptionName: string;
  message: string;
  taskName: string;
}

export interface JobInit {
  id: string;
  name: string;
  script: JobScript;
  submittedAt: number;
  entryClass: string | null;
  args: string[];
  parallelism: number;
  config: Record<string, string>;
}

/**
 * One Flink job as a timeline of (state, time) phases computed when it is submitted and
 * rewritten by actions (cancel, restart, ...). Every read is "the state at time t", so
 * nothing polls and tens of thousands of jobs cost only their memory.
 */
export class FlinkJob {
  readonly id: string;
  readonly name: string;
  readonly script: JobScript;
  readonly submittedAt: number;
  readonly entryClass: string | null;
  readonly args: string[];
  readonly parallelism: number;
  readonly config: Record<string, string>;
  readonly #phases: Phase[] = [];
  readonly #failures: JobFailure[] = [];

  constructor(init: JobInit) {
    this.id = init.id;
    this.name = init.name;
    this.script = init.script;
    this.submittedAt = init.submittedAt;
    this.entryClass = init.entryClass;
    this.args = init.args;
    this.parallelism = init.parallelism;
    this.config = init.config;
    this.#buildTimeline();
  }

  stateAt(now: number): JobStatus {
    let state: JobStatus = "INITIALIZING";
    for (const phase of this.#phases) {
      if (phase.at > now) break;
      state = phase.state;
    }
    return state;
  }

  /** When the job reaches (or reached) its globally terminal state; null if it never will on its own. */
  terminalAt(): number | null {
    const last = this.#phases[this.#phases.length - 1];
    return last && isGloballyTerminal(last.state) ? last.at : null;
  }

  endTimeAt(now: number): number {
    const end = this.terminalAt();
    return end !== null && end <= now ? end : -1;
  }

  /** Last time each state was entered, 0 for states never entered (JobDetailsInfo.timestamps). */
  timestampsAt(now: number): Record<JobStatus, number> {
    const out = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const phase of this.#phases) if (phase.at <= now) out[phase.state] = phase.at;
    return out;
  }

  lastModificationAt(now: number): number {
    let last = this.submittedAt;
    for (const phase of this.#phases) if (phase.at <= now) last = phase.at;
    return last;
  }

  failuresAt(now: number): JobFailure[] {
    return this.#failures.filter((f) => f.at <= now);
  }

  restartsAt(now: number): number {
    return this.#phases.filter((p) => p.state === "RESTARTING" && p.at <= now).length;
  }

  /** Total time spent RUNNING up to `now` (drives the checkpoint counter). */
  runningMsAt(now: number): number {
    let total = 0;
    for (let i = 0; i < this.#phases.length; i++) {
      const phase = this.#phases[i]!;
      if (phase.at > now) break;
      if (phase.state !== "RUNNING") continue;
      const next = this.#phases[i + 1];
      total += Math.min(next && next.at <= now ? next.at : now, now) - phase.at;
    }
    return total;
  }

  /** Cancel (flink/NOTES.md: idempotent since 1.15, 409 when another terminal state was reached). */
  cancel(now: number): { outcome: "accepted" } | { outcome: "conflict"; state: JobStatus } {
    const state = this.stateAt(now);
    if (state === "CANCELED" || state === "CANCELLING") return { outcome: "accepted" };
    if (isGloballyTerminal(state)) return { outcome: "conflict", state };
    this.#cut(now);
    this.#phases.push({ state: "CANCELLING", at: now }, { state: "CANCELED", at: now + this.script.cancelMs });
    return { outcome: "accepted" };
  }

  /** Ends the job at `at` (>= now) in a terminal state, replacing whatever was scripted after it. */
  endAt(at: number, state: "FINISHED" | "FAILED" | "CANCELED", failureMessage?: string): boolean {
    if (isGloballyTerminal(this.stateAt(at))) return false;
    this.#cut(at);
    if (state === "FAILED") {
      this.#fail(at, failureMessage ?? this.script.failureMessage);
      this.#phases.push({ state: "FAILING", at });
    }
    this.#phases.push({ state, at });
    return true;
  }

  /** A task failure followed by a restart; whatever was scripted later is pushed back by the downtime. */
  restart(now: number, message?: string): boolean {
    if (isGloballyTerminal(this.stateAt(now))) return false;
    const later = this.#cut(now);
    const delay = this.script.restartDelayMs;
    this.#fail(now, message ?? this.script.failureMessage);
    this.#phases.push({ state: "RESTARTING", at: now }, { state: "RUNNING", at: now + delay });
    for (const phase of later.phases) this.#phases.push({ state: phase.state, at: phase.at + delay });
    for (const failure of later.failures) this.#failures.push({ ...failure, at: failure.at + delay });
    return true;
  }

  #buildTimeline(): void {
    const s = this.script;
    let t = this.submittedAt;
    this.#phases.push({ state: "INITIALIZING", at: t });
    t += s.initializingMs;
    this.#phases.push({ state: "CREATED", at: t });
    t += s.createdMs;
    this.#phases.push({ state: "RUNNING", at: t });
    const runStart = t;
    let downtime = 0;
    for (const offset of [...s.restartAtMs].sort((a, b) => a - b)) {
      if (s.runMs !== null && offset >= s.runMs) break;
      const at = runStart + offset + downtime;
      this.#fail(at, s.failureMessage);
      this.#phases.push({ state: "RESTARTING", at }, { state: "RUNNING", at: at + s.restartDelayMs });
      downtime += s.restartDelayMs;
    }
    if (s.runMs === null) return;
    const end = runStart + s.runMs + downtime;
    if (s.outcome === "FAILED") {
      this.#fail(end, s.failureMessage);
      this.#phases.push({ state: "FAILING", at: end });
    }
    this.#phases.push({ state: s.outcome, at: end });
  }

  /** Drops phases and failures after `t`, returning what was dropped. */
  #cut(t: number): { phases: Phase[]; failures: JobFailure[] } {
    const phases = this.#phases.filter((p) => p.at > t);
    const failures = this.#failures.filter((f) => f.at > t);
    const keepPhases = this.#phases.filter((p) => p.at <= t);
    const keepFailures = this.#failures.filter((f) => f.at <= t);
    this.#phases.splice(0, this.#phases.length, ...keepPhases);
    this.#failures.splice(0, this.#failures.length, ...keepFailures);
    return { phases, failures };
  }

  #fail(at: number, message: string): void {
    const colon = message.indexOf(":");
    const exceptionName = colon > 0 && !message.slice(0, colon).includes(" ") ? message.slice(0, colon) : "java.lang.RuntimeException";
    this.#failures.push({ at, exceptionName, message, taskName: "Source: Emulated Source (1/1)" });
  }
}
