/**
 * Per-version response differences ("Version differences worth encoding", flink/NOTES.md).
 * Only released behaviour is modelled; the 2.3-SNAPSHOT extras (application-id, jobType,
 * schedulerType in the overview) are not emitted.
 */
export interface FlinkFeatures {
  version: string;
  /** /config features.web-rescale, exception failureLabels (1.18+). */
  rescaleAndFailureLabels: boolean;
  /** Exception entries carry `endpoint` instead of `location` (1.19+). */
  exceptionEndpoint: boolean;
  /** JobDetailsInfo.job-type (1.20+). */
  jobType: boolean;
  /** `pending-operators`, no deprecated top-level /exceptions fields, jar run `programArgs` ignored, no per-job mode (2.0+). */
  v2: boolean;
  /** Config key for the default savepoint directory (renamed in 2.0). */
  savepointDirKey: string;
}

export function flinkFeatures(version: string): FlinkFeatures {
  const [major = 0, minor = 0] = version.split(".").map((part) => Number.parseInt(part, 10));
  const atLeast = (ma: number, mi: number): boolean => major > ma || (major === ma && minor >= mi);
  const v2 = atLeast(2, 0);
  return {
    version,
    rescaleAndFailureLabels: atLeast(1, 18),
    exceptionEndpoint: atLeast(1, 19),
    jobType: atLeast(1, 20),
    v2,
    savepointDirKey: v2 ? "execution.checkpointing.savepoint-dir" : "state.savepoints.dir",
  };
}
