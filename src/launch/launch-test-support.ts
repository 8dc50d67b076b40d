import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ManualClock } from "../../emulator/clock.ts";
import { startEmulator } from "../../emulator/emulator.ts";
import type { Emulator } from "../../emulator/emulator.ts";
import type { RunMode } from "../domain/run-state.ts";
import { jobSpecSchema } from "../domain/job.ts";
import type { Run, RunSpec } from "../domain/run.ts";
import { effectiveSpec, newRun } from "../runs/build-run.ts";
import { sessionTargetSchema, yarnTargetSchema } from "../domain/target.ts";
import type { SessionTarget, YarnTarget } from "../domain/target.ts";
import type { ResourceStat } from "./resource-stat.ts";

/** Test helpers shared by the launch tests (not a test file itself). */

/** A run as the run service stores it before submitting (built by the same code), in SUBMITTING. */
export function makeRun(mode: RunMode, spec: Partial<RunSpec> = {}, overrides: Partial<Run> = {}): Run {
  const clock = { now: () => new Date(Date.UTC(2026, 0, 1)) };
  const job = jobSpecSchema.parse({ target: "t", mode, artifact: { uri: "hdfs:///jobs/orders.jar" }, entryClass: "com.acme.Orders" });
  const base = effectiveSpec(job, { kind: "uri", uri: "hdfs:///jobs/orders.jar" }, {}, null);
  const run = newRun({ clock, jobName: "orders", jobVersion: 1, job, spec: { ...base, ...spec }, callbackUrl: null, labels: {} });
  return { ...run, state: "SUBMITTING", ...overrides };
}

export interface LaunchEmulator {
  emu: Emulator;
  clock: ManualClock;
  session: SessionTarget;
  yarn: YarnTarget;
  /** A real jar-named file and its file:// URI. */
  jarPath: string;
  jarUri: string;
}

export async function startLaunchEmulator(extra: Partial<YarnTarget> = {}): Promise<LaunchEmulator> {
  const clock = new ManualClock(Date.now());
  const emu = await startEmulator({ clock, historyServer: { lagMs: 0 } });
  const dir = await mkdtemp(join(tmpdir(), "flinkgate-launch-"));
  const jarPath = join(dir, "orders.jar");
  await writeFile(jarPath, "PK\u0003\u0004 not really a jar");
  const session = sessionTargetSchema.parse({ name: "s1", kind: "session", restUrl: emu.sessionClusterUrl("default") });
  const yarn = yarnTargetSchema.parse({
    name: "y1",
    kind: "yarn",
    rmUrls: emu.rmUrls,
    historyServerUrl: emu.historyServerUrl,
    user: "etl",
    flinkVersion: "1.18.1",
    flinkDistUri: "hdfs:///flink/flink-dist-1.18.1.jar",
    libUris: ["hdfs:///flink/lib/flink-connector-kafka.jar", "hdfs:///flink/conf/flink-conf.yaml"],
    pluginUris: ["hdfs:///flink/plugins/s3-fs-hadoop/flink-s3-fs-hadoop.jar"],
    flinkConfig: { "state.savepoints.dir": "hdfs:///savepoints", "taskmanager.numberOfTaskSlots": "2" },
    ...extra,
  });
  return { emu, clock, session, yarn, jarPath, jarUri: pathToFileURL(jarPath).href };
}

/** HDFS is not emulated: the NodeManager's view of every resource, fixed. */
export const fixedStat: ResourceStat = (uri) => Promise.resolve({ size: uri.length * 1000, timestamp: 1_767_225_600_000 });
