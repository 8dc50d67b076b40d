import { UpstreamError } from "../domain/errors.ts";
import type { Run } from "../domain/run.ts";
import type { YarnClient } from "../yarn/yarn-client.ts";
import type { YarnApp } from "../yarn/yarn-schemas.ts";
import type { Lookup } from "./launcher.ts";

/**
 * The YARN application of a run: by its stored application id, else (none
 * stored, or the RM does not know it — e.g. a submit that never arrived, or
 * the flink-cli path that learns the id only from output) by the run's tag,
 * which the RM stores lower-cased (NOTES-flink-on-yarn.md). Transport
 * failures are thrown: no answer is not "not found".
 */
export async function findYarnApp(yarn: YarnClient, run: Run): Promise<YarnApp | undefined> {
  const id = run.yarn.applicationId;
  if (id !== null) {
    try {
      return (await yarn.getApp(id)).app;
    } catch (err) {
      if (!(err instanceof UpstreamError && err.failure === "not-found")) throw err;
    }
  }
  const tag = run.yarn.tag;
  if (tag === null) return undefined;
  const { apps } = await yarn.listApps({ applicationTags: [tag] });
  // The filter matches any of the given tags; keep exact carriers, newest first.
  return apps.filter((a) => a.tags.includes(tag.toLowerCase())).sort((a, b) => (b.startedTime ?? 0) - (a.startedTime ?? 0))[0];
}

export function yarnLookup(app: YarnApp | undefined): Lookup {
  if (!app) return { found: false };
  return { found: true, yarnApplicationId: app.id, yarnState: app.state, yarnFinalStatus: app.finalStatus };
}
