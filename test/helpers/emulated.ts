import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ManualClock as EmulatorClock } from "../../emulator/clock.ts";
import { type Emulator, startEmulator } from "../../emulator/emulator.ts";
import { openTestGateway, type TestGateway } from "./gateway.ts";
import { buildZip } from "./zip.ts";

/**
 * A gateway (driven by hand: no loops run) in front of the emulator on
 * fake time, plus the usual targets: `session` (a session cluster) and `yarn`
 * (the RM pair, yarn-rest launcher), both with the History Server.
 */
export interface EmulatedWorld {
  t: TestGateway;
  emulator: Emulator;
  clock: EmulatorClock;
  dataDir: string;
  /** A file:// URI of a jar on disk, usable by every path. */
  jarUri: string;
  /** A file:// URI of a Flink dist jar for yarn-rest targets. */
  distUri: string;
  uploadJar(): Promise<string>;
  /** Advance the emulator (and the gateway by one poll interval), then run one monitor tick and one operations pass. */
  step(ms?: number): Promise<void>;
  close(): Promise<void>;
}

export async function openEmulatedWorld(env: Record<string, string> = {}): Promise<EmulatedWorld> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "flinkgate-world-"));
  const clock = new EmulatorClock();
  const emulator = await startEmulator({ clock, historyServer: { lagMs: 0 } });
  const t = await openTestGateway({ DATA_DIR: dataDir, MONITOR_LOST_GRACE: "1m", ...env });
  const jar = buildZip({ "META-INF/MANIFEST.MF": "Manifest-Version: 1.0\n" });
  const jarFile = path.join(dataDir, "job.jar");
  await writeFile(jarFile, jar);
  const distFile = path.join(dataDir, "flink-dist.jar");
  await writeFile(distFile, jar);

  const created = [
    await t.request("/v1/targets", {
      method: "POST",
      json: { name: "session", kind: "session", restUrl: emulator.sessionClusterUrl("default"), historyServerUrl: emulator.historyServerUrl },
    }),
    await t.request("/v1/targets", {
      method: "POST",
      json: {
        name: "yarn",
        kind: "yarn",
        rmUrls: emulator.rmUrls,
        historyServerUrl: emulator.historyServerUrl,
        launcher: "yarn-rest",
        user: "flink",
        flinkVersion: "1.18.1",
        flinkDistUri: `file://${distFile}`,
      },
    }),
  ];
  for (const response of created) if (response.status !== 201) throw new Error(`target: ${response.status} ${await response.text()}`);

  return {
    t,
    emulator,
    clock,
    dataDir,
    jarUri: `file://${jarFile}`,
    distUri: `file://${distFile}`,
    async uploadJar() {
      const form = new FormData();
      form.set("file", new Blob([jar]), "job.jar");
      const response = await t.request("/v1/artifacts", { method: "POST", body: form });
      return ((await response.json()) as { id: string }).id;
    },
    async step(ms = 0) {
      if (ms > 0) await emulator.control.advance(ms);
      // The gateway's clock moves by one poll interval, so every target is due.
      t.clock.advance(5_000);
      await t.gateway.monitor.tick();
      await t.gateway.operations.follow();
    },
    async close() {
      await t.close();
      await emulator.stop();
    },
  };
}
