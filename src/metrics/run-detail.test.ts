import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics.ts";
import type { RunDetail } from "./run-detail.ts";

const NOW = Date.parse("2026-11-21T12:00:00Z");

function run(id: string, restarts = 0, lastCheckpointAt: number | null = null): RunDetail {
  return { runId: id, jobName: "orders", target: "yarn-prod", restarts, lastCheckpointAt };
}

function runIds(text: string, family: string): string[] {
  return [...text.matchAll(new RegExp(`^${family}\\{run_id="([^"]+)"`, "gm"))].map((m) => m[1] ?? "");
}

describe("per-run detail", () => {
  it("is off by default: no family, no run IDs anywhere", async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.setRunDetails([run("run_a", 3)]);
    const text = await metrics.registry.metrics();
    expect(text).not.toContain("flinkgate_run_restarts");
    expect(text).not.toContain("run_a");
  });

  it("shows restarts and a checkpoint age computed at scrape time", async () => {
    let now = NOW;
    const metrics = createMetrics({ processMetrics: false, perRunDetail: true, now: () => now });
    metrics.setRunDetails([run("run_a", 3, NOW - 30_000), run("run_b", 0, null)]);
    let text = await metrics.registry.metrics();
    expect(text).toContain('flinkgate_run_restarts{run_id="run_a",job_name="orders",target="yarn-prod"} 3\n');
    expect(text).toContain('flinkgate_run_last_checkpoint_age_seconds{run_id="run_a",job_name="orders",target="yarn-prod"} 30\n');
    // No checkpoint yet: no age rather than a made-up one.
    expect(runIds(text, "flinkgate_run_last_checkpoint_age_seconds")).toEqual(["run_a"]);
    now += 15_000;
    text = await metrics.registry.metrics();
    expect(text).toContain('flinkgate_run_last_checkpoint_age_seconds{run_id="run_a",job_name="orders",target="yarn-prod"} 45\n');
  });

  it("caps the runs shown, counts the rest, and keeps the runs already shown", async () => {
    const metrics = createMetrics({ processMetrics: false, perRunDetail: true, perRunLimit: 2 });
    metrics.setRunDetails([run("run_a"), run("run_b"), run("run_c")]);
    let text = await metrics.registry.metrics();
    expect(runIds(text, "flinkgate_run_restarts")).toEqual(["run_a", "run_b"]);
    expect(text).toContain("flinkgate_run_detail_dropped_runs 1\n");

    // A new run listed first does not push out a run already on a dashboard.
    metrics.setRunDetails([run("run_new"), run("run_b"), run("run_c")]);
    text = await metrics.registry.metrics();
    expect(runIds(text, "flinkgate_run_restarts")).toEqual(["run_b", "run_new"]);
    expect(text).toContain("flinkgate_run_detail_dropped_runs 1\n");

    // Runs that stopped running disappear.
    metrics.setRunDetails([]);
    text = await metrics.registry.metrics();
    expect(runIds(text, "flinkgate_run_restarts")).toEqual([]);
    expect(text).toContain("flinkgate_run_detail_dropped_runs 0\n");
  });
});
