import type { Run } from "../domain/run.ts";
import type { YarnTarget } from "../domain/target.ts";
import { restoreModeKey, yarnRunConfig } from "./yarn-job-config.ts";

/**
 * The `flink` command line of a YARN run (DESIGN.md "Submission paths"):
 * `run-application -t yarn-application` or `run -t yarn-per-job --detached`
 * (without it the CLI waits for the job's end). flinkgate's keys travel as
 * `-D` dynamic properties; program options use the CLI's own flags.
 */
export function flinkCliArgs(run: Run, target: YarnTarget, jar: string): string[] {
  const { spec } = run;
  const action = run.mode === "application" ? ["run-application", "-t", "yarn-application"] : ["run", "-t", "yarn-per-job", "--detached"];
  const config = yarnRunConfig(run, target);
  const restoreKey = restoreModeKey(target.flinkVersion);
  if (spec.restoreMode !== null && restoreKey !== null) config[restoreKey] = spec.restoreMode;
  return [
    ...action,
    ...Object.entries(config).map(([k, v]) => `-D${k}=${v}`),
    ...(spec.parallelism !== null ? ["-p", String(spec.parallelism)] : []),
    ...(spec.savepointPath !== null ? ["-s", spec.savepointPath] : []),
    ...(spec.savepointPath !== null && spec.allowNonRestoredState ? ["--allowNonRestoredState"] : []),
    ...(spec.entryClass !== null ? ["-c", spec.entryClass] : []),
    jar,
    ...spec.args,
  ];
}

/**
 * Ids in the CLI's output. The application id appears in log4j lines of
 * YarnClusterDescriptor / YarnClientImpl ("Submitting application master
 * application_…", "Submitted application application_…"); the per-job JobID
 * in "Job has been submitted with JobID <hex>" on stdout. Application mode
 * prints no job id: the job runs under the pre-assigned one.
 */
export function parseFlinkCliOutput(output: string): { applicationId?: string; jobId?: string } {
  const app =
    /Submitted application (application_\d+_\d+)/.exec(output) ??
    /Submitting application master (application_\d+_\d+)/.exec(output) ??
    /of application '(application_\d+_\d+)'/.exec(output);
  const job = /Job has been submitted with JobID ([0-9a-f]{32})/.exec(output);
  return { ...(app?.[1] !== undefined && { applicationId: app[1] }), ...(job?.[1] !== undefined && { jobId: job[1] }) };
}
