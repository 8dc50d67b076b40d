import { isJsonObject, isOptionalNumber } from "../upstream/json-checks.ts";
import { JOB_STATUSES } from "./flink-enums.ts";
import { isCountMap, toJobSummary } from "./flink-job-schemas.ts";
import type { FlinkJobOverviewEntry, FlinkJobSummary } from "./flink-job-schemas.ts";

const KNOWN_STATES: ReadonlySet<string> = new Set(JOB_STATUSES);

/**
 * `jobsOverviewSchema` in one pass, for the monitor's every-tick read of every
 * cluster: the checks of `jobDetailsSchema`, then the schema's own mapper on
 * the parsed entry (it reads only the checked fields, so unknown ones stay
 * behind). `undefined` — anything the schema would refuse, and unknown job
 * states, which the schema reports — leaves the answer to the schema.
 */
export function decodeJobsOverview(json: unknown): FlinkJobSummary[] | undefined {
  if (!isJsonObject(json)) return undefined;
  const jobs = json.jobs;
  if (jobs === undefined || jobs === null) return [];
  if (!Array.isArray(jobs)) return undefined;
  const out: FlinkJobSummary[] = [];
  for (const job of jobs) {
    if (!isKnownOverviewEntry(job)) return undefined;
    out.push(toJobSummary(job));
  }
  return out;
}

function isKnownOverviewEntry(j: unknown): j is FlinkJobOverviewEntry {
  return (
    isJsonObject(j) &&
    typeof j.jid === "string" &&
    typeof j.name === "string" &&
    typeof j.state === "string" &&
    KNOWN_STATES.has(j.state) &&
    isOptionalNumber(j["start-time"]) &&
    isOptionalNumber(j["end-time"]) &&
    isOptionalNumber(j.duration) &&
    isOptionalNumber(j["last-modification"]) &&
    (j.tasks === undefined || isCountMap(j.tasks)) &&
    isOptionalNumber(j["pending-operators"])
  );
}
