import type { ArtifactRef } from "../domain/run.ts";
import type { Target, YarnTarget } from "../domain/target.ts";
import { artifactUnusable } from "./launch-errors.ts";
import type { LaunchClients } from "./launch-clients.ts";
import type { LaunchInput, Launcher, Lookup, Reservation, Submission } from "./launcher.ts";
import { defaultResourceStat } from "./resource-stat.ts";
import type { ResourceStat } from "./resource-stat.ts";
import { buildAmSpec } from "./yarn-am-spec.ts";
import { findYarnApp, yarnLookup } from "./yarn-app-lookup.ts";
import { encodeConfigList, programOptionsConfig, yarnRunConfig } from "./yarn-job-config.ts";

export interface YarnRestLauncherDeps {
  clients: LaunchClients;
  /** Size and timestamp of each local resource (default: file stat, HTTP HEAD). */
  stat?: ResourceStat;
}

/**
 * Application clusters through the RM REST API (DESIGN.md "Submission
 * paths"): reserve() takes a new application id, which the run stores before
 * submit() sends the AM container spec; the job id travels as
 * `$internal.pipeline.job-id`, so both ids exist before anything runs.
 */
export function createYarnRestLauncher(deps: YarnRestLauncherDeps): Launcher {
  const stat = deps.stat ?? defaultResourceStat();
  return {
    async reserve({ run, target }: LaunchInput): Promise<Reservation> {
      // Idempotent: a run that already holds an id keeps it (a second id would orphan the first).
      if (run.yarn.applicationId !== null) return { yarnApplicationId: run.yarn.applicationId };
      const { applicationId } = await deps.clients.yarn(yarnTarget(target)).newApplication();
      return { yarnApplicationId: applicationId };
    },

    async submit({ run, target: anyTarget }: LaunchInput): Promise<Submission> {
      const target = yarnTarget(anyTarget);
      const applicationId = run.yarn.applicationId;
      if (applicationId === null) throw new Error(`run ${run.id}: submit() before reserve() stored an application id`);
      const artifactUri = clusterReadableUri(run.spec.artifact);
      if (target.flinkDistUri === undefined) {
        throw artifactUnusable(`target ${target.name} has no flinkDistUri; the yarn-rest launcher ships Flink from it`, { target: target.name });
      }
      const runConfig = yarnRunConfig(run, target);
      const config: Record<string, string> = {
        "high-availability.cluster-id": applicationId, // what the Flink client sets when unset (NOTES-flink-on-yarn.md)
        ...runConfig,
        ...programOptionsConfig(run.spec, target.flinkVersion),
        "execution.target": "yarn-application",
        // The entry point looks the jar up in usrlib/ by the file name in pipeline.jars.
        "pipeline.jars": encodeConfigList([artifactUri], target.flinkVersion),
        "$internal.application.program-args": encodeConfigList(run.spec.args, target.flinkVersion),
        // Unset: the entry point takes the jar manifest's Main-Class.
        ...(run.spec.entryClass !== null && { "$internal.application.main": run.spec.entryClass }),
      };
      const spec = await buildAmSpec({
        applicationId,
        name: runConfig["yarn.application.name"] ?? run.id,
        target,
        flinkDistUri: target.flinkDistUri,
        artifactUri,
        config,
        tags: (config["yarn.tags"] ?? "").split(","),
        stat,
      });
      await deps.clients.yarn(target).submitApplication(spec);
      return { flinkJobId: run.flinkJobId, yarnApplicationId: applicationId };
    },

    async find({ run, target }: LaunchInput): Promise<Lookup> {
      return yarnLookup(await findYarnApp(deps.clients.yarn(yarnTarget(target)), run));
    },
  };
}

export function yarnTarget(target: Target): YarnTarget {
  if (target.kind !== "yarn") throw new Error(`YARN launcher given a ${target.kind} target (${target.name})`);
  return target;
}

/** The NodeManager localizes the jar itself, so it needs a URI it can read, not bytes held by the gateway. */
function clusterReadableUri(artifact: ArtifactRef): string {
  if (artifact.kind === "uri") return artifact.uri;
  throw artifactUnusable(
    `artifact ${artifact.id} is stored in flinkgate, but a YARN NodeManager localizes the job jar from a URI it can read ` +
      "(the RM REST API takes no file bytes). Put the jar on HDFS or an https:// server and give its hdfs:// or https:// URI.",
    { artifact: artifact.id },
  );
}
