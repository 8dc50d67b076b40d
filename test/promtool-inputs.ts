import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * The PromQL the repository ships (dashboard panels and variables, alert
 * rules), read from the files, and a small extractor of the metric names an
 * expression reads. Checked against the exposition and fed to promtool.
 */
export const DASHBOARDS_DIR = join(import.meta.dirname, "..", "dashboards");
export const GRAFANA_DIR = join(DASHBOARDS_DIR, "grafana");
export const ALERTS_FILE = join(DASHBOARDS_DIR, "prometheus", "alerts.yml");
export const ALERTS_TEST_FILE = join(DASHBOARDS_DIR, "prometheus", "alerts.test.yml");

export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Array<{ expr: string; datasource?: { type: string; uid: string } }>;
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query: unknown; datasource?: { uid: string } }> };
}

export function readDashboards(): Array<{ file: string; dashboard: Dashboard }> {
  return readdirSync(GRAFANA_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(GRAFANA_DIR, file), "utf8")) as Dashboard }));
}

/** Every panel's PromQL, labelled for messages. */
export function dashboardExprs(): Array<{ where: string; expr: string }> {
  return readDashboards().flatMap(({ file, dashboard }) =>
    dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `${file}: ${p.title}`, expr: t.expr }))),
  );
}

/** `label_values(metric, label)` of the query variables: Grafana syntax, not PromQL. */
export function variableMetrics(): Array<{ where: string; metric: string }> {
  return readDashboards().flatMap(({ file, dashboard }) =>
    dashboard.templating.list
      .filter((v) => v.type === "query")
      .map((v) => {
        const query = typeof v.query === "string" ? v.query : (v.query as { query: string }).query;
        const metric = /^label_values\(\s*([a-zA-Z_:][\w:]*)/.exec(query)?.[1];
        if (!metric) throw new Error(`${file}: variable ${v.name}: unexpected query ${query}`);
        return { where: `${file}: $${v.name}`, metric };
      }),
  );
}

/**
 * The `expr`s of alerts.yml. The file is ours and keeps one shape (`expr:` on
 * one line or as a `|` block), which a line reader handles without a YAML
 * dependency the package does not declare; promtool checks the real parse.
 */
export function alertExprs(): Array<{ where: string; expr: string }> {
  const lines = readFileSync(ALERTS_FILE, "utf8").split("\n");
  const out: Array<{ where: string; expr: string }> = [];
  let alert = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    alert = /^\s*- alert:\s*(\S+)/.exec(line)?.[1] ?? alert;
    const m = /^(\s*)expr:\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, indent = "", rest = ""] = m;
    if (rest !== "|" && rest !== "|-") {
      out.push({ where: alert, expr: rest });
      continue;
    }
    const body: string[] = [];
    while (i + 1 < lines.length && ((lines[i + 1] ?? "").trim() === "" || indentOf(lines[i + 1] ?? "") > indent.length)) {
      body.push((lines[++i] ?? "").trim());
    }
    out.push({ where: alert, expr: body.join(" ").trim() });
  }
  return out;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

const KEYWORDS = new Set(["and", "or", "unless", "bool", "offset", "inf", "nan"]);

/** Metric names read by a PromQL expression (Grafana `$variables` allowed). */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\boffset\s+-?\w+/g, " ")
    .replace(/\$\{?\w+\}?/g, " ");
  const names = new Set<string>();
  // Numbers (1e3, 0.95) are matched first so their letters are not names.
  for (const m of stripped.matchAll(/\d+(?:\.\d+)?(?:e[+-]?\d+)?|([a-zA-Z_:][\w:]*)(\s*\()?/gi)) {
    const [, name, call] = m;
    if (name && !call && !KEYWORDS.has(name.toLowerCase())) names.add(name);
  }
  return [...names];
}

/** Grafana's macros and variables replaced so promtool can parse a panel query. */
export function asPlainPromql(expr: string): string {
  return expr
    .replaceAll("$__rate_interval", "1m")
    .replaceAll("$__range", "1h")
    .replaceAll("$__interval", "1m")
    .replace(/\$\{?\w+\}?/g, ".*");
}
