import { FINAL_STATUSES, YARN_STATES, isYarnTerminal, type YarnApp } from "./yarn-app.ts";

export class QueryRejected extends Error {}

/** A getter for every value of a (possibly repeated) query parameter. */
export type QueryValues = (name: string) => string[];

/**
 * GET /ws/v1/cluster/apps filters with the RM's semantics (yarn/NOTES.md): states case-insensitive
 * and repeatable; applicationTypes case-insensitive; applicationTags lower-cased, any-match;
 * queue matches unfinished apps only; finalStatus applied after limit.
 */
export function filterApps(apps: Iterable<YarnApp>, query: QueryValues): YarnApp[] {
  const list = (name: string): string[] => query(name).flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
  const states = [...list("states"), ...list("state")].map((s) => s.toUpperCase());
  for (const s of states) {
    if (!(YARN_STATES as readonly string[]).includes(s)) {
      throw new QueryRejected(`Invalid application-state ${s} specified. It should be one of [${YARN_STATES.join(", ")}]`);
    }
  }
  const types = list("applicationTypes").map((t) => t.toLowerCase());
  const tags = list("applicationTags").map((t) => t.toLowerCase());
  const user = query("user")[0];
  const queue = query("queue")[0];
  const name = query("name")[0];
  const started = range(query, "startedTime");
  const finished = range(query, "finishedTime");
  const limitRaw = query("limit")[0];
  const limit = limitRaw === undefined ? Infinity : Number(limitRaw);
  if (limitRaw !== undefined && (!Number.isInteger(limit) || limit <= 0)) throw new QueryRejected("limit value must be greater then 0");
  const finalStatus = query("finalStatus")[0];
  if (finalStatus !== undefined && !(FINAL_STATUSES as readonly string[]).includes(finalStatus)) {
    // Parsed with valueOf, so lower case is rejected too.
    throw new QueryRejected(`java.lang.IllegalArgumentException: No enum constant org.apache.hadoop.yarn.api.records.FinalApplicationStatus.${finalStatus}`);
  }

  const out: YarnApp[] = [];
  for (const app of apps) {
    if (out.length >= limit) break;
    if (states.length > 0 && !states.includes(app.state)) continue;
    if (types.length > 0 && !types.includes(app.type.toLowerCase())) continue;
    if (tags.length > 0 && !app.tags.some((t) => tags.includes(t))) continue;
    if (user !== undefined && app.user !== user) continue;
    if (queue !== undefined && (isYarnTerminal(app.state) || app.queue !== queue)) continue;
    if (name !== undefined && app.name !== name) continue;
    if (app.startedTime < started.begin || app.startedTime > started.end) continue;
    if (finished.filtered && (app.finishedTime === 0 || app.finishedTime < finished.begin || app.finishedTime > finished.end)) continue;
    out.push(app);
  }
  return finalStatus === undefined ? out : out.filter((app) => app.finalStatus === finalStatus);
}

function range(query: QueryValues, prefix: string): { begin: number; end: number; filtered: boolean } {
  const beginRaw = query(`${prefix}Begin`)[0];
  const endRaw = query(`${prefix}End`)[0];
  const begin = beginRaw === undefined ? 0 : Number(beginRaw);
  const end = endRaw === undefined ? Infinity : Number(endRaw);
  if (!Number.isFinite(begin) || begin < 0) throw new QueryRejected(`${prefix}Begin must be greater than 0`);
  if (endRaw !== undefined && (!Number.isFinite(end) || end < 0)) throw new QueryRejected(`${prefix}End must be greater than 0`);
  if (end < begin) throw new QueryRejected(`${prefix}End must be greater than ${prefix}Begin`);
  return { begin, end, filtered: beginRaw !== undefined || endRaw !== undefined };
}
