import type { ScriptedChange } from "./emulator-process.ts";

/** A poller's first record of a job in `state`: FINISHED / FAILED / CANCELED, or RESTARTING. */
export interface Sighting {
  jobId: string;
  state: string;
  at: number;
}

export interface DetectionSummary {
  /** Scripted finish / fail → the poller's record of the end, ms. */
  latenciesMs: number[];
  ends: number;
  restarts: number;
  restartsSeen: number;
}

const ENDED = new Set(["FINISHED", "FAILED", "CANCELED"]);

/** Matches each scripted change with the first sighting of its effect after it happened. */
export function summarizeDetection(changes: ScriptedChange[], sightings: Sighting[]): DetectionSummary {
  const byJob = new Map<string, Sighting[]>();
  for (const s of sightings) byJob.set(s.jobId, [...(byJob.get(s.jobId) ?? []), s]);
  const summary: DetectionSummary = { latenciesMs: [], ends: 0, restarts: 0, restartsSeen: 0 };
  for (const change of changes) {
    const seen = (byJob.get(change.jobId) ?? []).filter((s) => s.at >= change.at);
    if (change.action === "restart") {
      summary.restarts += 1;
      if (seen.some((s) => s.state === "RESTARTING")) summary.restartsSeen += 1;
      continue;
    }
    summary.ends += 1;
    const end = seen.find((s) => ENDED.has(s.state));
    if (end) summary.latenciesMs.push(end.at - change.at);
  }
  return summary;
}
