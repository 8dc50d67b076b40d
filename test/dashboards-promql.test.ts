import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it, onTestFinished } from "vitest";
import { describeWithBinary, run } from "./promtool.ts";
import { asPlainPromql, dashboardExprs } from "./promtool-inputs.ts";

describeWithBinary("promtool", "dashboard queries", (promtool) => {
  // promtool has no "parse this query" command in the Debian version, but
  // `check rules` parses every rule's expression: each panel query becomes a
  // recording rule, with Grafana's $variables replaced by plain values.
  it("all parse as PromQL", async () => {
    const exprs = dashboardExprs();
    expect(exprs.length).toBeGreaterThan(30);
    const rules = exprs
      .map(({ expr }, i) => `      - record: dashboard:query_${i}\n        expr: ${JSON.stringify(asPlainPromql(expr))}`)
      .join("\n");
    const dir = mkdtempSync(join(tmpdir(), "flinkgate-dashboards-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "dashboard-queries.yml");
    writeFileSync(file, `groups:\n  - name: dashboards\n    rules:\n${rules}\n`);
    const result = await run(promtool, ["check", "rules", file]);
    expect(result.stdout + result.stderr).toContain(`SUCCESS: ${exprs.length} rules found`);
  });
});
