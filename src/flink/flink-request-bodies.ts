import type { RecoveryClaimMode, SavepointFormatType } from "./flink-enums.ts";
import { atLeast } from "./flink-version.ts";
import type { FlinkVersion } from "./flink-version.ts";

/**
 * Request bodies spoken in the cluster's own version (flink/NOTES.md "Version
 * differences"). Flink silently drops JSON fields it does not know, so a field
 * the version cannot honour is refused here rather than sent and lost.
 * `version` undefined means "could not learn it": then fields are sent in a
 * form every version that has the feature accepts.
 */
export type Refuse = (reason: string) => never;

export interface JarRunInput {
  entryClass?: string;
  args?: readonly string[];
  parallelism?: number;
  /** 32 lowercase hex chars; fixes the job id (pre-assigned by the gateway). */
  jobId?: string;
  savepointPath?: string;
  allowNonRestoredState?: boolean;
  /** How the restored snapshot is owned: `restoreMode` (1.15–1.19) / `claimMode` (1.20+). */
  restoreMode?: RecoveryClaimMode;
  /** Per-job configuration overrides (1.17+). */
  flinkConfiguration?: Record<string, string>;
}

export function jarRunBody(input: JarRunInput, version: FlinkVersion | undefined, refuse: Refuse): Record<string, unknown> {
  // Always `programArgsList`: `programArgs` is ignored since 2.0, and 1.x rejects both together.
  const body: Record<string, unknown> = {
    entryClass: input.entryClass,
    programArgsList: input.args && input.args.length > 0 ? [...input.args] : undefined,
    parallelism: input.parallelism,
    jobId: input.jobId,
    savepointPath: input.savepointPath,
    allowNonRestoredState: input.allowNonRestoredState,
  };
  if (input.restoreMode !== undefined) {
    if (version === undefined) {
      // claimMode wins over restoreMode where both are known (1.20+); 1.15–1.19 ignore claimMode.
      body["restoreMode"] = input.restoreMode;
      body["claimMode"] = input.restoreMode;
    } else if (atLeast(version, 1, 20)) body["claimMode"] = input.restoreMode;
    else if (atLeast(version, 1, 15)) body["restoreMode"] = input.restoreMode;
    else refuse(`Flink ${version.raw} has no restore mode (added in 1.15)`);
  }
  if (input.flinkConfiguration && Object.keys(input.flinkConfiguration).length > 0) {
    if (version && !atLeast(version, 1, 17)) refuse(`Flink ${version.raw} takes no per-job flinkConfiguration (added in 1.17)`);
    body["flinkConfiguration"] = input.flinkConfiguration;
  }
  return dropUndefined(body);
}

export interface SavepointInput {
  targetDirectory?: string;
  formatType?: SavepointFormatType;
  /** Client-chosen 32-hex trigger id, so a retried trigger is deduplicated (1.15+). */
  triggerId?: string;
}

/** `POST /jobs/:jobid/savepoints`: kebab-case `target-directory`, `cancel-job`. */
export function savepointTriggerBody(
  input: SavepointInput & { cancelJob?: boolean },
  version: FlinkVersion | undefined,
  refuse: Refuse,
): Record<string, unknown> {
  return dropUndefined({
    "target-directory": input.targetDirectory,
    "cancel-job": input.cancelJob,
    ...since115(input, version, refuse),
  });
}

/** `POST /jobs/:jobid/stop`: camelCase `targetDirectory`, `drain`. */
export function stopWithSavepointBody(
  input: SavepointInput & { drain?: boolean },
  version: FlinkVersion | undefined,
  refuse: Refuse,
): Record<string, unknown> {
  return dropUndefined({
    targetDirectory: input.targetDirectory,
    drain: input.drain,
    ...since115(input, version, refuse),
  });
}

function since115(input: SavepointInput, version: FlinkVersion | undefined, refuse: Refuse): Record<string, unknown> {
  const supported = version === undefined || atLeast(version, 1, 15);
  if (!supported && input.formatType !== undefined) refuse(`Flink ${version?.raw} has no savepoint formatType (added in 1.15)`);
  // An older cluster would ignore triggerId; the answer's request-id is used either way.
  return supported ? { formatType: input.formatType, triggerId: input.triggerId } : {};
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
