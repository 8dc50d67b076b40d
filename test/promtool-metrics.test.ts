import { afterAll, beforeAll, expect, it } from "vitest";
import { createMetrics } from "../src/metrics/metrics.ts";
import { touchEveryMetric } from "../src/metrics/touch-every-metric.ts";
import { describeWithBinary, run } from "./promtool.ts";
import { startScrapeTarget } from "./promtool-scrape-target.ts";

// `promtool check metrics` lints the exposition: naming (`_total` only on
// counters, base units), HELP present, parseable text format. Silence plus
// exit code 0 means clean; each problem is printed on its own line.
describeWithBinary("promtool", "promtool check metrics", (promtool) => {
  it("accepts a fresh registry (families without series yet)", async () => {
    const result = await run(promtool, ["check", "metrics"], { input: await createMetrics({ perRunDetail: true }).render() });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("accepts a registry with every family populated", async () => {
    const metrics = createMetrics({ perRunDetail: true });
    touchEveryMetric(metrics);
    const result = await run(promtool, ["check", "metrics"], { input: await metrics.render() });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("rejects what it should: the check is live, not vacuous", async () => {
    const bad = "# HELP flinkgate_bad_total A gauge named like a counter.\n# TYPE flinkgate_bad_total gauge\nflinkgate_bad_total 1\n";
    const result = await run(promtool, ["check", "metrics"], { input: bad });
    expect(result.stdout + result.stderr).toContain('non-counter metrics should not have "_total" suffix');
  });

  describeLive(promtool);
});

function describeLive(promtool: string): void {
  let target: Awaited<ReturnType<typeof startScrapeTarget>>;
  beforeAll(async () => {
    target = await startScrapeTarget();
  });
  afterAll(() => target?.stop());

  it("accepts a live scrape of /metrics", async () => {
    // Two scrapes: the second also carries the first one's HTTP request series.
    await fetch(`${target.url}/metrics`).then((r) => r.text());
    const response = await fetch(`${target.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const body = await response.text();
    expect(body).toContain('flinkgate_http_request_duration_seconds_count{route="/metrics",method="GET",status="200"} 1');
    const result = await run(promtool, ["check", "metrics"], { input: body });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
}
