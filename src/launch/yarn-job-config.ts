import type { Run, RunSpec } from "../domain/run.ts";
import type { YarnTarget } from "../domain/target.ts";
import { atLeast, parseFlinkVersion } from "../flink/flink-version.ts";

/**
 * The Flink configuration a YARN run is deployed with, as `-D key=value`
 * dynamic properties (both paths: the AM command of yarn-rest, the CLI's
 * arguments of flink-cli). Precedence: target.flinkConfig < job flinkConfig <
 * the keys flinkgate owns (job id, tag), which nothing may override: they are
 * how a run is found again (DESIGN.md "The forgotten job").
 */
export function yarnRunConfig(run: Run, target: YarnTarget): Record<string, string> {
  const merged: Record<string, string> = { ...target.flinkConfig, ...run.spec.flinkConfig };
  const tag = run.yarn.tag;
  if (tag === null) throw new Error(`run ${run.id} has no YARN tag; it is assigned before submission`);
  // yarn.tags is a comma-separated list; the client trims and drops empty entries (NOTES-flink-on-yarn.md).
  const userTags = (merged["yarn.tags"] ?? "").split(",").map((t) => t.trim()).filter((t) => t !== "" && t !== tag);
  return {
    ...merged,
    "$internal.pipeline.job-id": run.flinkJobId,
    "yarn.tags": [...userTags, tag].join(","),
    "yarn.application.queue": run.spec.flinkConfig["yarn.application.queue"] ?? target.queue,
    "yarn.application.name": merged["yarn.application.name"] ?? run.jobName ?? run.id,
  };
}

/**
 * What `flink run` takes as program options (`-p`, `-s`, `-n`, restore mode),
 * as the configuration keys the CLI turns them into; the yarn-rest path has
 * no CLI, so it sends these keys itself.
 */
export function programOptionsConfig(spec: RunSpec, flinkVersion: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (spec.parallelism !== null) out["parallelism.default"] = String(spec.parallelism);
  if (spec.savepointPath !== null) {
    out["execution.savepoint.path"] = spec.savepointPath;
    if (spec.allowNonRestoredState) out["execution.savepoint.ignore-unclaimed-state"] = "true";
  }
  const restoreKey = restoreModeKey(flinkVersion);
  if (spec.restoreMode !== null && restoreKey !== null) out[restoreKey] = spec.restoreMode;
  return out;
}

/** `execution.savepoint-restore-mode` (1.15–1.20) became `execution.state-recovery.claim-mode` in 2.0. */
export function restoreModeKey(flinkVersion: string | undefined): string | null {
  const v = flinkVersion === undefined ? undefined : parseFlinkVersion(flinkVersion);
  if (v === undefined) return "execution.savepoint-restore-mode";
  if (atLeast(v, 2, 0)) return "execution.state-recovery.claim-mode";
  return atLeast(v, 1, 15) ? "execution.savepoint-restore-mode" : null;
}

/**
 * A list-typed option as a string: a YAML flow list on 2.x (config.yaml is
 * standard YAML), the legacy `;`-separated form with `'`-quoting before.
 */
export function encodeConfigList(items: readonly string[], flinkVersion: string | undefined): string {
  const v = flinkVersion === undefined ? undefined : parseFlinkVersion(flinkVersion);
  if (v !== undefined && atLeast(v, 2, 0)) return `[${items.map((i) => JSON.stringify(i)).join(", ")}]`;
  return items.map((i) => (/[;'"]/.test(i) ? `'${i.replace(/'/g, "''")}'` : i)).join(";");
}
