import type { Query } from "../upstream/join-url.ts";
import type { YarnAppState, YarnFinalStatus } from "./yarn-enums.ts";

/** Filters of `GET /ws/v1/cluster/apps` (yarn/NOTES.md); all optional and combined with AND. */
export interface YarnAppFilter {
  states?: readonly YarnAppState[];
  /** An app matches if it carries any of them; the RM compares lower-cased. */
  applicationTags?: readonly string[];
  /** Matched case-insensitively, e.g. `Apache Flink`. */
  applicationTypes?: readonly string[];
  startedTimeBegin?: number;
  startedTimeEnd?: number;
  finishedTimeBegin?: number;
  finishedTimeEnd?: number;
  /** Must be > 0. */
  limit?: number;
  user?: string;
  /** Only matches unfinished apps. */
  queue?: string;
  /** Applied by the RM after `limit`, so fewer than `limit` rows may come back. */
  finalStatus?: YarnFinalStatus;
  name?: string;
  /** Keep the heavy `resourceRequests` array (dropped by default). */
  withResourceRequests?: boolean;
}

export function appFilterQuery(f: YarnAppFilter): Query {
  const list = (v: readonly string[] | undefined, lower = false) =>
    v && v.length > 0 ? v.map((s) => (lower ? s.toLowerCase() : s)).join(",") : undefined;
  if (f.limit !== undefined && f.limit <= 0) throw new RangeError("limit must be > 0");
  return {
    states: list(f.states),
    applicationTags: list(f.applicationTags, true),
    applicationTypes: list(f.applicationTypes),
    startedTimeBegin: f.startedTimeBegin,
    startedTimeEnd: f.startedTimeEnd,
    finishedTimeBegin: f.finishedTimeBegin,
    finishedTimeEnd: f.finishedTimeEnd,
    limit: f.limit,
    user: f.user,
    queue: f.queue,
    finalStatus: f.finalStatus, // must be upper case: the RM parses it with valueOf
    name: f.name,
    deSelects: f.withResourceRequests ? undefined : "resourceRequests",
  };
}
