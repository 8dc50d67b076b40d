import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundle } from "../scripts/build.ts";
import { systemClock } from "../src/domain/clock.ts";
import type { SessionTarget, YarnTarget } from "../src/domain/target.ts";
import { forkChild } from "./child-rpc.ts";
import { type Sighting, summarizeDetection } from "./detection.ts";
import type { EmulatorUrls, ScriptedChange } from "./emulator-process.ts";
import type { ActiveRun, GatewayPrepare, GatewayStart, Prepared } from "./gateway-process.ts";
import { comparisonTable, figuresOf, type PollerFigures, targetLines } from "./monitor-report.ts";
import { parseMonitorBenchOptions } from "./monitor-options.ts";
import type { NaiveResult, NaiveWatch } from "./naive-poller.ts";
import { buildRuns, clusterName, samplePlan, startJobs, waitAllRunning, YARN_TARGET } from "./scenario.ts";
import { percentile } from "./stats.ts";
import type { LoopResult } from "./tick-loop.ts";

/**
 * `npm run bench:monitor [-- --quick]`: the monitor against 50 session
 * clusters × 200 jobs and 2,000 YARN application clusters on the emulator,
 * then a naive one-request-per-job poller over the same jobs, each for the
 * same time with the same stream of state changes; prints a table.
 */
const options = parseMonitorBenchOptions(process.argv.slice(2), process.env);
const say = (message: string) => console.error(`[bench:monitor] ${message}`);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
/** The measured processes run compiled, as the gateway does in production (`npm start`): no TypeScript loader in their CPU time or RSS. */
async function compiled(file: string): Promise<string> {
  const out = here(`../dist/bench/${path.basename(file, ".ts")}.mjs`);
  await bundle(here(file), out);
  return out;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const durationMs = options.durationS * 1000;
// After the changes stop: time for the last restarts to end and be seen, then ticks with nothing changing.
const drainMs = options.restartDelayMs + 2 * options.intervalMs + 2000;
const quietMs = 3 * options.intervalMs;

const clusters = Array.from({ length: options.clusters }, (_, i) => clusterName(i));
say(`starting the emulator: ${clusters.length} session clusters, the YARN RM pair, the History Server`);
const emulator = forkChild(here("./emulator-process.ts"));
const urls = await emulator.call<EmulatorUrls>("start", { clusters, restartDelayMs: options.restartDelayMs, historyLagMs: 10_000 });

const runs = buildRuns(options, systemClock);
say(`starting ${runs.length.toLocaleString("en-US")} jobs on the emulator (jar runs and YARN submissions with the runs' ids)`);
await startJobs(urls, runs);
await waitAllRunning(urls, runs.length);

say(`preparing the gateway's ${options.databaseUrl ? "PostgreSQL schema" : "PGlite data directory"} in a process of its own: migrations, targets and runs`);
const gatewayProcess = await compiled("./gateway-process.ts");
const preparer = forkChild(gatewayProcess);
const prepared = await preparer.call<Prepared>("prepare", {
  databaseUrl: options.databaseUrl,
  intervalMs: options.intervalMs,
  urls,
  runs,
  plan: await samplePlan(urls, runs[0]!),
} satisfies GatewayPrepare);
await preparer.close();
const { targets } = prepared;

// The gateway under measurement restarts over that database, as in production: initdb and seeding are not its steady state.
say(`starting the gateway in its own process, compiled as npm start runs it, on ${prepared.kind} (${prepared.location})`);
const gateway = forkChild(gatewayProcess);
await gateway.call("start", { databaseUrl: options.databaseUrl, intervalMs: options.intervalMs, dataDir: prepared.dataDir, schema: prepared.schema } satisfies GatewayStart);
const activeRuns = () => gateway.call<ActiveRun[]>("activeRuns");
const monitorTicks = (durationMs: number | null, maxTicks?: number, cpuProfile?: string) =>
  gateway.call<LoopResult>("poll", { controlUrl: urls.controlUrl, intervalMs: options.intervalMs, durationMs, maxTicks, cpuProfile });

/**
 * Streams state changes for `durationMs` while `poll` runs; the poll goes on
 * for `drainMs` more, so the last changes are seen, then `quietMs` with no
 * changes at all. Ticks started while changes streamed are `result.ticks`;
 * those of the quiet end are `quiet`.
 */
async function phase<T extends LoopResult>(jobIds: string[], poll: (ms: number) => Promise<T>) {
  const startedAt = Date.now();
  await emulator.call("startChanges", { jobIds, perSecond: options.changesPerS });
  const stopped = sleep(durationMs).then(() => emulator.call<ScriptedChange[]>("stopChanges"));
  const result = await poll(durationMs + drainMs + quietMs);
  const changes = await stopped;
  const quiet = result.ticks.filter((t) => t.startedAt >= startedAt + durationMs + drainMs);
  return { result: { ...result, ticks: result.ticks.filter((t) => t.startedAt < startedAt + durationMs) }, quiet, changes, startedAt };
}

say(`warm-up: 2 monitor ticks`);
const warm = await monitorTicks(null, 2);

say(`flinkgate monitor: ${options.durationS} s, poll interval ${options.intervalMs} ms, ${options.changesPerS} changes/s`);
const watchedByMonitor = await activeRuns();
const monitorPhase = await phase(
  watchedByMonitor.map((r) => r.flink_job_id),
  (ms) => monitorTicks(ms, undefined, options.cpuProfile),
);
const monitorSightings = await gateway.call<Sighting[]>("sightings", { since: monitorPhase.startedAt });
const histogramSamples = await gateway.call<number[]>("histogramSamples");
const stillActive = await activeRuns();
const runningYarnApps = stillActive.filter((r) => r.target === YARN_TARGET).length;
const monitor: PollerFigures = figuresOf(monitorPhase.result, monitorPhase.quiet, summarizeDetection(monitorPhase.changes, monitorSightings), watchedByMonitor.length);

let naive: PollerFigures | undefined;
if (!options.skipNaive) {
  say(`naive poller: ${options.durationS} s over the ${stillActive.length.toLocaleString("en-US")} runs still active, same interval and change rate`);
  const sessionTargets = new Map(targets.filter((t): t is SessionTarget => t.kind === "session").map((t) => [t.name, t]));
  const watch: NaiveWatch = {
    sessionJobs: stillActive.filter((r) => r.target !== YARN_TARGET).map((r) => ({ target: sessionTargets.get(r.target)!, jobId: r.flink_job_id })),
    yarnApps: stillActive.filter((r) => r.target === YARN_TARGET).map((r) => ({ appId: r.yarn_application_id!, jobId: r.flink_job_id })),
    yarnTarget: targets.find((t): t is YarnTarget => t.kind === "yarn")!,
    controlUrl: urls.controlUrl,
    intervalMs: options.intervalMs,
    durationMs: 0,
    concurrency: options.naiveConcurrency,
  };
  const child = forkChild(await compiled("./naive-poller.ts"));
  const naivePhase = await phase(
    stillActive.map((r) => r.flink_job_id),
    (ms) => child.call<NaiveResult>("poll", { ...watch, durationMs: ms }),
  );
  await child.close();
  naive = figuresOf(naivePhase.result, naivePhase.quiet, summarizeDetection(naivePhase.changes, naivePhase.result.sightings), stillActive.length);
}

const first = warm.ticks[0];
console.log(`\n## flinkgate monitor vs a naive poller — ${options.clusters} session clusters × ${options.jobsPerCluster} jobs + ${options.yarnApps} YARN application clusters\n`);
console.log(`poll interval ${options.intervalMs} ms, ${options.changesPerS} state changes/s (40% restart, 35% finish, 25% fail) for ${options.durationS} s per poller, then no changes, ${prepared.kind}, ${process.platform} ${process.arch}, Node ${process.version}\n`);
console.log(comparisonTable(monitor, naive));
console.log(`\nTargets (flinkgate monitor):`);
for (const line of targetLines(monitor, naive, { targets: targets.length, runningYarnApps, intervalMs: options.intervalMs })) console.log(`- ${line}`);
console.log(
  `\nNotes: medians over ticks; latency = scripted change on the emulator → the run.state_changed event's time (monitor) or the poller's read (naive).` +
    ` The monitor's own flinkgate_detection_latency_seconds samples (post-commit, from upstream timestamps): p50 ${Math.round(percentile(histogramSamples, 50))} ms, p99 ${Math.round(percentile(histogramSamples, 99))} ms.` +
    (first ? ` First warm-up tick: ${first.requests ? Object.values(first.requests).reduce((a, b) => a + b, 0) : 0} requests, ${first.cpuMs.toFixed(0)} ms CPU, ${first.wallMs.toFixed(0)} ms wall.` : ""),
);

await gateway.close();
await emulator.close();
