import type { Clock } from "../src/domain/clock.ts";
import type { JobSpec } from "../src/domain/job.ts";
import type { Run } from "../src/domain/run.ts";
import { newRun } from "../src/runs/build-run.ts";
import type { EmulatorUrls } from "./emulator-process.ts";

/**
 * The watched population, created the fast way: the runs get their ids the
 * way the gateway gives them (newRun: run id, Flink job id, YARN tag), the
 * jobs are started on the emulator with those ids over its REST APIs (one jar
 * run per session job; new-application + submit per YARN application-mode
 * app), and the runs rows are inserted directly (bench/seed-gateway.ts)
 * instead of 12,000 submissions through the gateway.
 */
export interface ScenarioSize {
  clusters: number;
  jobsPerCluster: number;
  yarnApps: number;
}

export const clusterName = (i: number): string => `s${i}`;
export const YARN_TARGET = "yarn";
const ENTRY_CLASS = "com.acme.StreamingOrders";
const RM_USER = "flink";

export function buildRuns(size: ScenarioSize, clock: Clock): Run[] {
  const uri = "file:///opt/jobs/orders.jar";
  const make = (target: string, mode: JobSpec["mode"]): Run =>
    newRun({
      clock,
      jobName: null,
      jobVersion: null,
      job: { target, mode, artifact: { uri }, entryClass: ENTRY_CLASS, args: [], flinkConfig: {}, allowNonRestoredState: false, labels: {} },
      spec: { artifact: { kind: "uri", uri }, entryClass: ENTRY_CLASS, args: [], parallelism: null, flinkConfig: {}, savepointPath: null, allowNonRestoredState: false, restoreMode: null },
      callbackUrl: null,
      labels: { bench: "monitor" },
    });
  const runs: Run[] = [];
  for (let c = 0; c < size.clusters; c++) for (let j = 0; j < size.jobsPerCluster; j++) runs.push(make(clusterName(c), "session"));
  for (let a = 0; a < size.yarnApps; a++) runs.push(make(YARN_TARGET, "application"));
  return runs;
}

async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  }));
}

async function send(url: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${url}: ${response.status} ${text.slice(0, 300)}`);
  return text === "" ? null : JSON.parse(text);
}

const postJson = (url: string, body: unknown) => send(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** Starts every run's job on the emulator; YARN runs get their application id. */
export async function startJobs(urls: EmulatorUrls, runs: Run[]): Promise<void> {
  const byCluster = new Map<string, Run[]>();
  for (const run of runs) if (run.mode === "session") byCluster.set(run.target, [...(byCluster.get(run.target) ?? []), run]);
  await eachLimited([...byCluster], 8, async ([cluster, clusterRuns]) => {
    const base = urls.sessionUrls[cluster]!;
    const form = new FormData();
    form.append("jarfile", new File([new Uint8Array([0x50, 0x4b, 3, 4])], "orders.jar"));
    const jarId = String((await send(`${base}/jars/upload`, { method: "POST", body: form })).filename).split("/").pop();
    for (const run of clusterRuns) await postJson(`${base}/jars/${jarId}/run`, { entryClass: ENTRY_CLASS, jobId: run.flinkJobId });
  });

  const rm = `${urls.rmUrls[0]}/ws/v1/cluster/apps`;
  await eachLimited(runs.filter((r) => r.mode === "application"), 8, async (run) => {
    const id = (await postJson(`${rm}/new-application?user.name=${RM_USER}`, {}))["application-id"] as string;
    await postJson(`${rm}?user.name=${RM_USER}`, {
      "application-id": id,
      "application-name": `orders-${run.id}`,
      "application-type": "Apache Flink",
      "application-tags": { tag: [run.yarn.tag] },
      resource: { memory: 1600, vCores: 1 },
      "am-container-spec": {
        commands: {
          command: `$JAVA_HOME/bin/java org.apache.flink.yarn.entrypoint.YarnApplicationClusterEntryPoint -D $internal.pipeline.job-id=${run.flinkJobId} -D $internal.application.main=${ENTRY_CLASS}`,
        },
      },
    });
    run.yarn.applicationId = id;
  });
}

/** Waits until the emulator runs every job (AMs take a moment to deploy). */
export async function waitAllRunning(urls: EmulatorUrls, expected: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { jobs } = (await send(`${urls.controlUrl}/jobs`)) as { jobs: Array<{ state: string }> };
    const running = jobs.filter((j) => j.state === "RUNNING").length;
    if (running >= expected) return;
    if (Date.now() > deadline) throw new Error(`only ${running} of ${expected} jobs running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A real job plan from the emulator, stored on every seeded run as the monitor would have stored it. */
export async function samplePlan(urls: EmulatorUrls, run: Run): Promise<Record<string, unknown>> {
  return (await send(`${urls.sessionUrls[run.target]}/jobs/${run.flinkJobId}`)).plan;
}

export const rmUser = RM_USER;
