import { describe, expect, it } from "vitest";
import { createMetrics } from "../src/metrics/metrics.ts";
import { alertExprs, dashboardExprs, metricNamesIn, readDashboards, variableMetrics } from "./promtool-inputs.ts";

// Series Prometheus makes itself for every scrape target.
const PROMETHEUS_MADE = new Set(["up"]);

const STABLE_UIDS: Record<string, string> = {
  "flinkgate-overview.json": "flinkgate-overview",
  "flinkgate-runs.json": "flinkgate-runs",
};

/**
 * Sample names the gateway can expose, from the `# TYPE` lines. prom-client
 * prints HELP and TYPE for every registered family, even one without series
 * yet (a labelled counter nobody has touched, the GC histogram before the
 * first collection), so this does not depend on what happened to be observed.
 * Per-run detail is switched on: its families exist only then.
 */
async function exposableSampleNames(): Promise<Set<string>> {
  const text = await createMetrics({ perRunDetail: true }).registry.metrics();
  const names = new Set<string>();
  for (const [, name = "", type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const suffixes = type === "histogram" ? ["_bucket", "_sum", "_count"] : type === "summary" ? ["", "_sum", "_count"] : [""];
    for (const suffix of suffixes) names.add(name + suffix);
  }
  return names;
}

describe("metricNamesIn", () => {
  it("finds metric names, not functions, labels, keywords or durations", () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (target, le) (rate(a_bucket{target=~"$target", x="b_total"}[$__rate_interval]))) > 1e3',
      ),
    ).toEqual(["a_bucket"]);
    expect(metricNamesIn("x unless x offset 5m or on (instance) group_left (replica) y and bool z")).toEqual(["x", "y", "z"]);
  });
});

describe("dashboards", () => {
  const dashboards = readDashboards();

  it("are the expected files with stable uids", () => {
    expect(Object.fromEntries(dashboards.map(({ file, dashboard }) => [file, dashboard.uid]))).toEqual(STABLE_UIDS);
  });

  for (const { file, dashboard } of dashboards) {
    describe(file, () => {
      it("has a Prometheus datasource variable and a current schema", () => {
        const variable = dashboard.templating.list.find((v) => v.name === "datasource");
        expect(variable).toMatchObject({ type: "datasource", query: "prometheus" });
        expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
      });

      it("has unique panel ids and panels inside the 24-column grid that do not overlap", () => {
        const ids = dashboard.panels.map((p) => p.id);
        expect(new Set(ids).size).toBe(ids.length);
        const cells = new Set<string>();
        for (const { title, gridPos: g } of dashboard.panels) {
          expect(g.x + g.w, title).toBeLessThanOrEqual(24);
          for (let x = g.x; x < g.x + g.w; x++) {
            for (let y = g.y; y < g.y + g.h; y++) {
              expect(cells.has(`${x},${y}`), `${title} overlaps at ${x},${y}`).toBe(false);
              cells.add(`${x},${y}`);
            }
          }
        }
      });

      it("queries through the datasource variable in every panel, target and query variable", () => {
        const viaVariable = { type: "prometheus", uid: "${datasource}" };
        const panels = dashboard.panels.filter((p) => p.type !== "row");
        expect(panels.length).toBeGreaterThan(10);
        for (const panel of panels) {
          expect(panel.datasource, panel.title).toEqual(viaVariable);
          expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
          for (const target of panel.targets ?? []) expect(target.datasource, panel.title).toEqual(viaVariable);
        }
        for (const v of dashboard.templating.list.filter((v) => v.type === "query")) {
          expect(v.datasource, v.name).toEqual(viaVariable);
        }
      });
    });
  }
});

describe("every metric a dashboard or an alert reads", () => {
  it("exists in the gateway's exposition", async () => {
    const exposed = await exposableSampleNames();
    const uses = [
      ...dashboardExprs().flatMap(({ where, expr }) => metricNamesIn(expr).map((metric) => ({ where, metric }))),
      ...alertExprs().flatMap(({ where, expr }) => metricNamesIn(expr).map((metric) => ({ where, metric }))),
      ...variableMetrics(),
    ];
    // Guards against an extractor that silently finds nothing.
    expect(new Set(uses.map((u) => u.metric)).size).toBeGreaterThan(25);
    expect(alertExprs().map((a) => a.where)).toHaveLength(7);
    const missing = uses.filter((u) => !exposed.has(u.metric) && !PROMETHEUS_MADE.has(u.metric));
    expect(missing).toEqual([]);
  });
});
