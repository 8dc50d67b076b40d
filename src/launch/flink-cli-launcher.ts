import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ArtifactRef } from "../domain/run.ts";
import { artifactUnreadable, artifactUnusable, FlinkCliError } from "./launch-errors.ts";
import type { LaunchClients } from "./launch-clients.ts";
import type { LaunchInput, Launcher, Lookup, Submission } from "./launcher.ts";
import { flinkCliArgs, parseFlinkCliOutput } from "./flink-cli-command.ts";
import { runProcess, tail } from "./run-process.ts";
import { findYarnApp, yarnLookup } from "./yarn-app-lookup.ts";
import { yarnTarget } from "./yarn-rest-launcher.ts";

export interface FlinkCliLauncherDeps {
  clients: LaunchClients;
  /** Whole CLI run, including waiting for the AM to be allocated (default 5 min). */
  timeoutMs?: number;
  /** Environment the CLI starts from (default process.env); the target's cliEnv is laid over it. */
  baseEnv?: NodeJS.ProcessEnv;
}

/**
 * Per-job / application clusters through an installed Flink client. Nothing
 * can be reserved (the CLI asks the RM for the application id itself), so the
 * run's tag is what finds the application after a crash or a CLI failure.
 */
export function createFlinkCliLauncher(deps: FlinkCliLauncherDeps): Launcher {
  return {
    reserve: () => Promise.resolve({}),

    async submit({ run, target: anyTarget, artifactPath }: LaunchInput): Promise<Submission> {
      const target = yarnTarget(anyTarget);
      if (target.flinkHome === undefined) throw artifactUnusable(`target ${target.name} has no flinkHome; the flink-cli launcher runs <flinkHome>/bin/flink`, { target: target.name });
      const bin = join(target.flinkHome, "bin", "flink");
      const args = flinkCliArgs(run, target, cliJar(run.spec.artifact, artifactPath));
      let result;
      try {
        result = await runProcess(bin, args, { env: { ...(deps.baseEnv ?? process.env), ...target.cliEnv }, timeoutMs: deps.timeoutMs ?? 300_000 });
      } catch (err) {
        throw new FlinkCliError({ message: `could not start ${bin}: ${(err as Error).message}`, exitCode: null, timedOut: false, outputTail: "", cause: err });
      }
      const outputTail = tail(result.output);
      if (result.timedOut || result.exitCode !== 0) {
        const why = result.timedOut ? `timed out after ${deps.timeoutMs ?? 300_000} ms` : `exited with ${result.exitCode ?? result.signal}`;
        throw new FlinkCliError({ message: `flink ${args[0]} ${why}`, exitCode: result.exitCode, timedOut: result.timedOut, outputTail });
      }
      const ids = parseFlinkCliOutput(result.output);
      if (ids.applicationId === undefined) {
        throw new FlinkCliError({ message: "flink exited 0 but printed no YARN application id", exitCode: 0, timedOut: false, outputTail });
      }
      // Application mode prints no job id; the job runs under $internal.pipeline.job-id.
      return { flinkJobId: ids.jobId ?? run.flinkJobId, yarnApplicationId: ids.applicationId };
    },

    async find({ run, target }: LaunchInput): Promise<Lookup> {
      return yarnLookup(await findYarnApp(deps.clients.yarn(yarnTarget(target)), run));
    },
  };
}

/**
 * The CLI ships a local jar to the cluster itself, so a stored artifact works
 * here (unlike yarn-rest); remote URIs are passed on for the cluster to fetch.
 */
function cliJar(artifact: ArtifactRef, artifactPath: string | null): string {
  if (artifact.kind === "stored") {
    if (artifactPath === null) throw artifactUnreadable(`artifact ${artifact.id}`, "the stored artifact has no file on this gateway");
    return artifactPath;
  }
  return artifact.uri.startsWith("file:") ? fileURLToPath(artifact.uri) : artifact.uri;
}
