import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { expect, it, onTestFinished } from "vitest";
import { describeWithBinary, run } from "./promtool.ts";
import { ALERTS_FILE, ALERTS_TEST_FILE, alertExprs } from "./promtool-inputs.ts";

/** For each alert of alerts.test.yml: whether some case expects it firing, and some silent. */
function testedCases(): Map<string, { fires: boolean; silent: boolean }> {
  const cases = new Map<string, { fires: boolean; silent: boolean }>();
  let alert: string | undefined;
  for (const line of readFileSync(ALERTS_TEST_FILE, "utf8").split("\n")) {
    alert = /^\s*alertname:\s*(\S+)/.exec(line)?.[1] ?? alert;
    const expected = /^\s*exp_alerts:\s*(.*)$/.exec(line);
    if (!expected || !alert) continue;
    const seen = cases.get(alert) ?? { fires: false, silent: false };
    if (expected[1]?.trim() === "[]") seen.silent = true;
    else seen.fires = true;
    cases.set(alert, seen);
    alert = undefined;
  }
  return cases;
}

it("alerts.test.yml shows every alert firing and silent", () => {
  const alerts = alertExprs().map((a) => a.where);
  const cases = testedCases();
  expect(alerts.length).toBeGreaterThan(0);
  for (const alert of alerts) expect(cases.get(alert), alert).toEqual({ fires: true, silent: true });
  // No test of an alert that no longer exists.
  expect([...cases.keys()].sort()).toEqual([...alerts].sort());
});

describeWithBinary("promtool", "promtool on the alert rules", (promtool) => {
  it("check rules accepts alerts.yml", async () => {
    const result = await run(promtool, ["check", "rules", ALERTS_FILE]);
    expect(result.stderr + result.stdout).toContain("SUCCESS: 7 rules found");
    expect(result.code).toBe(0);
  });

  it("test rules passes alerts.test.yml", async () => {
    const result = await run(promtool, ["test", "rules", "alerts.test.yml"], { cwd: dirname(ALERTS_TEST_FILE) });
    expect(result.stdout + result.stderr).toContain("SUCCESS");
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  // A broken expectation must be reported: guards against a promtool that
  // passes everything (wrong file, no tests found).
  it("test rules fails when an expectation is wrong", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flinkgate-rules-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "alerts.yml"), readFileSync(ALERTS_FILE, "utf8"));
    const broken = readFileSync(ALERTS_TEST_FILE, "utf8").replace("severity: critical", "severity: page");
    writeFileSync(join(dir, "alerts.test.yml"), broken);
    const result = await run(promtool, ["test", "rules", "alerts.test.yml"], { cwd: dir });
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("FAILED");
  });
});
