import { Gauge } from "prom-client";
import type { Registry } from "prom-client";
import { BoundedLabel } from "./labels.ts";

/**
 * Opt-in per-run series for running runs: the one place a run ID becomes a
 * label. Capped at `limit` runs so a large fleet cannot blow up the scrape;
 * the rest is counted in `flinkgate_run_detail_dropped_runs`.
 */
export interface RunDetail {
  runId: string;
  jobName: string;
  target: string;
  restarts: number;
  /** Completion time (epoch ms) of the newest completed checkpoint; null before the first. */
  lastCheckpointAt: number | null;
}

export type SetRunDetails = (running: readonly RunDetail[]) => void;

export function createRunDetail(
  registry: Registry,
  opts: { limit: number; now: () => number; targets: BoundedLabel; jobs: BoundedLabel },
): SetRunDetails {
  let shown = new Map<string, RunDetail>();
  let dropped = 0;
  const registers = [registry];
  const labelNames = ["run_id", "job_name", "target"] as const;
  const labelsOf = (d: RunDetail) => ({
    run_id: d.runId,
    job_name: opts.jobs.value(d.jobName),
    target: opts.targets.value(d.target),
  });

  const restarts = new Gauge({
    name: "flinkgate_run_restarts",
    help: "Restarts of a running run's Flink job (per-run detail, opt-in and capped).",
    labelNames,
    registers,
    collect() {
      restarts.reset();
      for (const d of shown.values()) restarts.set(labelsOf(d), d.restarts);
    },
  });
  // An age computed at scrape time stays correct between monitor ticks,
  // which a value pushed at tick time would not.
  const checkpointAge = new Gauge({
    name: "flinkgate_run_last_checkpoint_age_seconds",
    help: "Seconds since a running run's newest completed checkpoint (per-run detail, opt-in and capped).",
    labelNames,
    registers,
    collect() {
      checkpointAge.reset();
      const now = opts.now();
      for (const d of shown.values()) {
        if (d.lastCheckpointAt !== null) {
          checkpointAge.set(labelsOf(d), Math.max(0, (now - d.lastCheckpointAt) / 1000));
        }
      }
    },
  });
  const droppedGauge = new Gauge({
    name: "flinkgate_run_detail_dropped_runs",
    help: "Running runs left out of the per-run detail because of its cap.",
    registers,
    collect() {
      droppedGauge.set(dropped);
    },
  });

  return (running) => {
    // Runs already shown keep their place, so series do not flap between
    // runs when there are more running runs than the cap.
    const next = new Map<string, RunDetail>();
    for (const d of running) if (shown.has(d.runId) && next.size < opts.limit) next.set(d.runId, d);
    for (const d of running) if (!next.has(d.runId) && next.size < opts.limit) next.set(d.runId, d);
    shown = next;
    dropped = new Set(running.map((d) => d.runId)).size - next.size;
  };
}
