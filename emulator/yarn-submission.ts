import { YARN_APP_ID } from "./ids.ts";
import type { FlinkEntrypoint } from "./yarn-app.ts";
import type { SubmissionFacts } from "./job-script.ts";

export interface ParsedSubmission {
  applicationId: string;
  name: string;
  queue: string;
  type: string;
  tags: string[];
  priority: number;
  maxAttempts: number;
  memoryMb: number;
  vCores: number;
  hasCommand: boolean;
  entrypoint: FlinkEntrypoint | null;
  flinkConfig: Record<string, string>;
}

export interface SubmissionLimits {
  maxMemoryMb: number;
  maxVCores: number;
  maxAmAttempts: number;
}

/** 400 BadRequest messages, as RMWebAppUtil / ApplicationSubmissionContextPBImpl word them. */
export class SubmissionRejected extends Error {}

const ENTRYPOINTS: Record<string, FlinkEntrypoint> = {
  "org.apache.flink.yarn.entrypoint.YarnApplicationClusterEntryPoint": "application",
  "org.apache.flink.yarn.entrypoint.YarnJobClusterEntrypoint": "per-job",
  "org.apache.flink.yarn.entrypoint.YarnSessionClusterEntrypoint": "session",
};

/** Validates an `application-submission-context` body the way the RM does before accepting it. */
export function parseSubmission(body: Record<string, unknown>, limits: SubmissionLimits): ParsedSubmission {
  const applicationId = typeof body["application-id"] === "string" ? body["application-id"] : "";
  if (!YARN_APP_ID.test(applicationId)) throw new SubmissionRejected(`Could not parse application id ${applicationId}`);
  // A missing `resource` is an all-zero ResourceInfo (ApplicationSubmissionContextInfo's constructor) that the
  // scheduler normalises up to its minimum allocation, so only oversized or negative requests are refused.
  const resource = record(body.resource);
  const memoryMb = Number(resource.memory ?? 0);
  const vCores = Number(resource.vCores ?? 0);
  if (vCores > limits.maxVCores) throw new SubmissionRejected("Requested more cores than configured max");
  if (memoryMb > limits.maxMemoryMb) throw new SubmissionRejected("Requested more memory than configured max");
  if (memoryMb < 0 || vCores < 0 || !Number.isFinite(memoryMb) || !Number.isFinite(vCores)) {
    throw new SubmissionRejected(
      `Invalid resource request, requested resource type=[memory-mb] < 0 or greater than maximum allowed allocation. Requested resource=<memory:${memoryMb}, vCores:${vCores}>, maximum allowed allocation=<memory:${limits.maxMemoryMb}, vCores:${limits.maxVCores}>`,
    );
  }
  const tags = parseTags(record(body["application-tags"]).tag);
  const spec = record(body["am-container-spec"]);
  const commands = record(spec.commands).command;
  const command = Array.isArray(commands) ? commands.map(String).join(" ") : typeof commands === "string" ? commands : "";
  const { entrypoint, dynamicProperties } = parseAmCommand(command);
  const requestedAttempts = Number(body["max-app-attempts"] ?? 0);
  return {
    applicationId,
    name: nonEmpty(body["application-name"]) ?? "N/A",
    queue: nonEmpty(body.queue) ?? "default",
    type: nonEmpty(body["application-type"]) ?? "YARN",
    tags,
    priority: Number.isInteger(body.priority) ? (body.priority as number) : 0,
    // 0 / unset → the RM's yarn.resourcemanager.am.max-attempts; larger values are capped to it.
    maxAttempts: requestedAttempts > 0 ? Math.min(requestedAttempts, limits.maxAmAttempts) : limits.maxAmAttempts,
    memoryMb: Math.max(memoryMb, 1024),
    vCores: Math.max(vCores, 1),
    hasCommand: command.trim() !== "",
    entrypoint,
    flinkConfig: dynamicProperties,
  };
}

/** Tags: trimmed, empty ones dropped, lower-cased (force-lowercase default), at most 10 of ≤100 ASCII chars. */
function parseTags(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw.map(String) : typeof raw === "string" ? [raw] : [];
  const tags = [...new Set(list.map((t) => t.trim().toLowerCase()).filter((t) => t !== ""))];
  if (tags.length > 10) throw new SubmissionRejected("Too many applicationTags, a maximum of only 10 are allowed!");
  for (const tag of tags) {
    if (tag.length > 100) throw new SubmissionRejected(`Tag ${tag} is too long, maximum allowed length of a tag is 100`);
    if (!/^[\x00-\x7F]*$/.test(tag)) throw new SubmissionRejected(`A tag can only have ASCII characters! Invalid tag - ${tag}`);
  }
  return tags;
}

/**
 * The AM command as Flink's YarnClusterDescriptor builds it:
 *   `$JAVA_HOME/bin/java <jvm opts> <entrypoint class> -D key=value ... 1> <LOG_DIR>/jobmanager.out 2> ...`
 * The entrypoint parses `-D key=value` (or `-Dkey=value`) after its class name as dynamic
 * properties that override the shipped config file; the emulator cannot read that file from
 * HDFS, so the job's config (job id, main class, args, name) must come as dynamic properties.
 */
export function parseAmCommand(command: string): { entrypoint: FlinkEntrypoint | null; dynamicProperties: Record<string, string> } {
  const tokens = shellTokens(command);
  const classIndex = tokens.findIndex((t) => t in ENTRYPOINTS);
  const dynamicProperties: Record<string, string> = {};
  if (classIndex === -1) return { entrypoint: null, dynamicProperties };
  for (let i = classIndex + 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (/^\d?>/.test(token)) break;
    const pair = token === "-D" ? tokens[++i] : token.startsWith("-D") ? token.slice(2) : undefined;
    const eq = pair?.indexOf("=") ?? -1;
    if (pair && eq > 0) dynamicProperties[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { entrypoint: ENTRYPOINTS[tokens[classIndex]!] ?? null, dynamicProperties };
}

/** A Flink list option: YAML flow list (`[a, "b c"]`, 2.x config.yaml) or the legacy `;`-separated form. */
export function parseConfigList(value: string | undefined): string[] {
  if (value === undefined || value === "") return [];
  const trimmed = value.trim();
  if (!trimmed.startsWith("[")) return splitLegacyList(trimmed);
  const out: string[] = [];
  for (const m of trimmed.slice(1, -1).matchAll(/\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^,]+?))\s*(?:,|$)/g)) {
    const item = m[1]?.replace(/\\(.)/g, "$1") ?? m[2] ?? m[3];
    if (item !== undefined && !(m[0].trim() === "" && item === "")) out.push(item);
  }
  return out;
}

/**
 * The legacy list syntax (StructuredOptionsSplitter): `;`-separated, an item may be quoted with
 * `'` or `"`, a quote inside a quoted item is doubled (`'it''s'`).
 */
function splitLegacyList(value: string): string[] {
  const out: string[] = [];
  let item = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if ((ch === "'" || ch === '"') && item === "") {
      let j = i + 1;
      for (; j < value.length; j++) {
        if (value[j] !== ch) item += value[j];
        else if (value[j + 1] === ch) item += value[++j];
        else break;
      }
      i = j;
    } else if (ch === ";") {
      out.push(item);
      item = "";
    } else item += ch;
  }
  out.push(item);
  return out;
}

function shellTokens(command: string): string[] {
  const out: string[] = [];
  for (const m of command.matchAll(/(?:[^\s"']+|"(?:[^"\\]|\\.)*"|'[^']*')+/g)) {
    out.push(m[0].replace(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g, (_all, dq: string | undefined, sq: string | undefined) => dq?.replace(/\\(.)/g, "$1") ?? sq ?? ""));
  }
  return out;
}

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

/** What the AM's application would run: main class and args from `$internal.application.*`. */
export function submissionFacts(appId: string, config: Record<string, string>): SubmissionFacts {
  return {
    entryClass: config["$internal.application.main"] ?? null,
    args: parseConfigList(config["$internal.application.program-args"]),
    jobName: config["pipeline.name"] ?? null,
    cluster: appId,
  };
}
