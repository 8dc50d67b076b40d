import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithBinary, freePort } from "./promtool.ts";
import { ALERTS_FILE } from "./promtool-inputs.ts";
import { SCRAPE_TARGET_REPLICA, startScrapeTarget } from "./promtool-scrape-target.ts";

const WAIT_MS = 25_000;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Polls `read` until it returns a value, or fails after WAIT_MS with the last state seen. */
async function eventually<T>(what: string, read: () => Promise<T | undefined>, diagnostics: () => string): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: not seen within ${WAIT_MS} ms (${String(last ?? "no error")})\n${diagnostics()}`);
}

describeWithBinary("prometheus", "a real Prometheus server scraping the gateway", (prometheus) => {
  let dir: string;
  let server: ChildProcess | undefined;
  let base: string;
  let logs = "";
  let target: Awaited<ReturnType<typeof startScrapeTarget>>;

  beforeAll(async () => {
    target = await startScrapeTarget();
    dir = mkdtempSync(join(tmpdir(), "flinkgate-prometheus-"));
    const config = [
      "global: { scrape_interval: 1s, evaluation_interval: 1s }",
      `rule_files: [${JSON.stringify(ALERTS_FILE)}]`,
      "scrape_configs:",
      "  - job_name: flinkgate",
      `    static_configs: [{ targets: [${JSON.stringify(new URL(target.url).host)}] }]`,
    ].join("\n");
    writeFileSync(join(dir, "prometheus.yml"), config);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(
      prometheus,
      [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const keep = (chunk: Buffer) => {
      logs = (logs + chunk.toString()).slice(-4000);
    };
    server.stdout?.on("data", keep);
    server.stderr?.on("data", keep);
  });

  afterAll(async () => {
    const child = server;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await target?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const query = async (promql: string): Promise<Sample[] | undefined> => {
    const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { status: string; data: { result: Sample[] } };
    if (body.status !== "success") throw new Error(JSON.stringify(body));
    return body.data.result.length > 0 ? body.data.result : undefined;
  };
  const diagnostics = () => `prometheus exit code: ${server?.exitCode}\n${logs}`;

  it("returns the gateway's series through PromQL", async () => {
    const [info] = await eventually("flinkgate_build_info", () => query('flinkgate_build_info{job="flinkgate"}'), diagnostics);
    expect(info?.metric).toMatchObject({
      __name__: "flinkgate_build_info",
      job: "flinkgate",
      instance: new URL(target.url).host,
      replica: SCRAPE_TARGET_REPLICA,
      version: "0.0.0-test",
    });
    expect(info?.value[1]).toBe("1");
    expect((await query('up{job="flinkgate"}'))?.[0]?.value[1]).toBe("1");
  });

  it("sees the gateway count Prometheus's own scrapes by route template", async () => {
    // Each scrape is an HTTP request the gateway counts; from the second one
    // on, Prometheus sees the earlier scrapes in the exposition.
    const [scrapes] = await eventually(
      "counted scrapes",
      () => query('sum(flinkgate_http_request_duration_seconds_count{job="flinkgate", route="/metrics", status="200"}) >= 2'),
      diagnostics,
    );
    expect(Number(scrapes?.value[1])).toBeGreaterThanOrEqual(2);
  });

  it("loads the alert rules and evaluates them without errors", async () => {
    type Rule = { name: string; health: string; lastError?: string; lastEvaluation: string };
    const rules = await eventually(
      "evaluated alert rules",
      async () => {
        const response = await fetch(`${base}/api/v1/rules?type=alert`);
        const body = (await response.json()) as { data: { groups: Array<{ rules: Rule[] }> } };
        const all = body.data.groups.flatMap((g) => g.rules);
        return all.length > 0 && all.every((r) => !r.lastEvaluation.startsWith("0001-")) ? all : undefined;
      },
      diagnostics,
    );
    expect(rules.map((r) => r.name).sort()).toHaveLength(7);
    expect(rules.filter((r) => r.health !== "ok")).toEqual([]);
  });
});
