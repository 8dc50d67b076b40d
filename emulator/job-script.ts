/**
 * How an emulated job behaves. A script is resolved once, when the job is submitted:
 *
 *   defaults  <  entry-class convention  <  control rules (in the order added)  <  `--emulator.<field>=<value>` program args
 *
 * so a gateway test can say "batch job that finishes after 300 ms" either with a rule
 * (`control.addRule({ match: { entryClass: "com.acme.Orders" }, script: { kind: "batch", runMs: 300 } })`)
 * or with the job's own args (`--emulator.kind=batch --emulator.runMs=300`).
 */
export interface JobScript {
  kind: "batch" | "streaming";
  /** Job name when the submission does not set `pipeline.name`. */
  jobName: string | null;
  /** Time spent INITIALIZING, then CREATED, before RUNNING ("slow deployment" on the Flink side). */
  initializingMs: number;
  createdMs: number;
  /** Time spent RUNNING (not counting restarts) before the scripted end; null = until cancelled. */
  runMs: number | null;
  outcome: "FINISHED" | "FAILED";
  failureMessage: string;
  /** Offsets after the first RUNNING at which the job fails and restarts (RESTARTING, restart counter). */
  restartAtMs: number[];
  restartDelayMs: number;
  /** CANCELLING duration after a cancel request. */
  cancelMs: number;
  /** Savepoint / stop-with-savepoint duration, and an optional failure (COMPLETED with failure-cause). */
  savepointMs: number;
  savepointFailure: string | null;
  checkpointing: boolean;
  checkpointIntervalMs: number;
  vertices: number;
  /** YARN only: how long the application stays ACCEPTED before its AM runs. */
  deployMs: number;
  /** YARN only: delay between the job's end and the AM unregistering (the cluster lingers that long). */
  shutdownMs: number;
}

export interface RuleMatch {
  entryClass?: string;
  /** Every listed string must be one of the program args. */
  args?: string[];
  jobName?: string;
  /** Session cluster name or YARN application id. */
  cluster?: string;
}

export interface BehaviourRule {
  match: RuleMatch;
  script: Partial<JobScript>;
}

export interface SubmissionFacts {
  entryClass: string | null;
  args: string[];
  jobName: string | null;
  cluster: string;
}

export const DEFAULT_SCRIPT: JobScript = {
  kind: "streaming",
  jobName: null,
  initializingMs: 0,
  createdMs: 0,
  runMs: null,
  outcome: "FINISHED",
  failureMessage: "java.lang.RuntimeException: Emulated job failure",
  restartAtMs: [],
  restartDelayMs: 100,
  cancelMs: 0,
  savepointMs: 100,
  savepointFailure: null,
  checkpointing: true,
  checkpointIntervalMs: 10_000,
  vertices: 2,
  deployMs: 100,
  shutdownMs: 50,
};

/** Convention on the entry class's simple name: *Fail* → failing batch, *Batch* → finishing batch, else streaming. */
export function conventionFor(entryClass: string | null): Partial<JobScript> {
  const simple = (entryClass ?? "").split(".").pop()?.toLowerCase() ?? "";
  if (simple.includes("fail")) return { kind: "batch", runMs: 1000, outcome: "FAILED", checkpointing: false };
  if (simple.includes("batch")) return { kind: "batch", runMs: 1000, checkpointing: false };
  return {};
}

export function ruleMatches(match: RuleMatch, facts: SubmissionFacts): boolean {
  if (match.entryClass !== undefined && match.entryClass !== facts.entryClass) return false;
  if (match.jobName !== undefined && match.jobName !== facts.jobName) return false;
  if (match.cluster !== undefined && match.cluster !== facts.cluster) return false;
  if (match.args && !match.args.every((arg) => facts.args.includes(arg))) return false;
  return true;
}

export function resolveScript(rules: readonly BehaviourRule[], facts: SubmissionFacts): JobScript {
  let script: JobScript = { ...DEFAULT_SCRIPT, ...conventionFor(facts.entryClass) };
  for (const rule of rules) if (ruleMatches(rule.match, facts)) script = { ...script, ...rule.script };
  script = { ...script, ...scriptFromArgs(facts.args) };
  // A batch job always ends: its sources are bounded.
  if (script.kind === "batch" && script.runMs === null) script.runMs = 1000;
  return script;
}

const NUMBER_FIELDS = [
  "initializingMs", "createdMs", "restartDelayMs", "cancelMs", "savepointMs",
  "checkpointIntervalMs", "vertices", "deployMs", "shutdownMs",
] as const;

/** Parses `--emulator.<field>=<value>` args; unknown fields or bad values throw, so a typo is loud. */
export function scriptFromArgs(args: readonly string[]): Partial<JobScript> {
  const script: Partial<JobScript> = {};
  for (const arg of args) {
    const m = /^--emulator\.([A-Za-z]+)=(.*)$/.exec(arg);
    if (!m) continue;
    const [, field = "", value = ""] = m;
    if ((NUMBER_FIELDS as readonly string[]).includes(field)) {
      (script as Record<string, number>)[field] = parseMs(field, value);
    } else if (field === "runMs") {
      script.runMs = value === "null" || value === "" ? null : parseMs(field, value);
    } else if (field === "kind") {
      if (value !== "batch" && value !== "streaming") throw new Error(`--emulator.kind must be batch|streaming, got ${value}`);
      script.kind = value;
    } else if (field === "outcome") {
      if (value !== "FINISHED" && value !== "FAILED") throw new Error(`--emulator.outcome must be FINISHED|FAILED, got ${value}`);
      script.outcome = value;
    } else if (field === "restartAtMs") {
      script.restartAtMs = value === "" ? [] : value.split(",").map((v) => parseMs(field, v));
    } else if (field === "checkpointing") {
      script.checkpointing = value === "true";
    } else if (field === "failureMessage" || field === "jobName") {
      script[field] = value;
    } else if (field === "savepointFailure") {
      script.savepointFailure = value === "" ? null : value;
    } else {
      throw new Error(`unknown emulator script field --emulator.${field}`);
    }
  }
  return script;
}

function parseMs(field: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || value.trim() === "") throw new Error(`--emulator.${field} needs a number >= 0, got "${value}"`);
  return n;
}
