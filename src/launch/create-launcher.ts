import { ValidationError } from "../domain/errors.ts";
import type { FieldIssue } from "../domain/errors.ts";
import type { RunMode } from "../domain/run-state.ts";
import type { Target } from "../domain/target.ts";
import { atLeast, parseFlinkVersion } from "../flink/flink-version.ts";
import { createFlinkCliLauncher } from "./flink-cli-launcher.ts";
import type { JarCache } from "./jar-cache.ts";
import type { LaunchClients } from "./launch-clients.ts";
import type { Launcher } from "./launcher.ts";
import type { ResourceStat } from "./resource-stat.ts";
import { createSessionLauncher } from "./session-launcher.ts";
import { createYarnRestLauncher } from "./yarn-rest-launcher.ts";

export interface LaunchDeps {
  clients: LaunchClients;
  jarCache: JarCache;
  /** yarn-rest: size / timestamp of local resources (default: file stat, HTTP HEAD). */
  stat?: ResourceStat;
  /** flink-cli: deadline of one CLI run. */
  cliTimeoutMs?: number;
}

/**
 * Why a job of `mode` cannot run on `target`, as field issues (empty when it
 * can). Usable when a job is defined, long before a run is launched.
 */
export function launchIssues(target: Target, mode: RunMode): FieldIssue[] {
  if (target.kind === "session") {
    return mode === "session" ? [] : [{ field: "mode", message: `target ${target.name} is a session cluster; ${mode} mode needs a yarn target` }];
  }
  if (mode === "session") {
    return [{ field: "mode", message: `target ${target.name} is YARN: flinkgate starts per-job / application clusters there; for a YARN session cluster, register its REST URL as a session target` }];
  }
  const issues: FieldIssue[] = [];
  const version = target.flinkVersion === undefined ? undefined : parseFlinkVersion(target.flinkVersion);
  if (mode === "per-job" && version && atLeast(version, 2, 0)) {
    issues.push({ field: "mode", message: `per-job mode was removed in Flink 2.0 (target runs ${target.flinkVersion}); use application mode` });
  }
  if (target.launcher === "yarn-rest") {
    // YarnJobClusterEntrypoint reads a job graph the Flink client compiled and shipped (job.graph);
    // only a Flink client can produce it, so per-job needs the flink-cli launcher.
    if (mode === "per-job") issues.push({ field: "mode", message: "per-job needs a job graph compiled by the Flink client; use application mode, or launcher flink-cli" });
    if (target.flinkDistUri === undefined) issues.push({ field: "target.flinkDistUri", message: "the yarn-rest launcher ships Flink from flinkDistUri" });
  } else if (target.flinkHome === undefined) {
    issues.push({ field: "target.flinkHome", message: "the flink-cli launcher runs <flinkHome>/bin/flink" });
  }
  return issues;
}

/** The submission path for a run of `mode` on `target`; a ValidationError when there is none. */
export function launcherFor(target: Target, mode: RunMode, deps: LaunchDeps): Launcher {
  const issues = launchIssues(target, mode);
  if (issues.length > 0) throw new ValidationError(issues);
  if (target.kind === "session") return createSessionLauncher({ clients: deps.clients, jarCache: deps.jarCache });
  if (target.launcher === "yarn-rest") return createYarnRestLauncher({ clients: deps.clients, ...(deps.stat && { stat: deps.stat }) });
  return createFlinkCliLauncher({ clients: deps.clients, ...(deps.cliTimeoutMs !== undefined && { timeoutMs: deps.cliTimeoutMs }) });
}
