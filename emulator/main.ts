import { parseArgs } from "node:util";
import { startEmulator } from "./emulator.ts";

// Standalone emulator: `npm run emulator -- --port 8081 --clusters a,b --flink-version 2.1.0`
// (env: EMULATOR_PORT, EMULATOR_CLUSTERS, EMULATOR_FLINK_VERSION, EMULATOR_HS_LAG_MS).
const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.EMULATOR_PORT ?? "8081" },
    host: { type: "string", default: process.env.EMULATOR_HOST ?? "127.0.0.1" },
    clusters: { type: "string", default: process.env.EMULATOR_CLUSTERS ?? "default" },
    "flink-version": { type: "string", default: process.env.EMULATOR_FLINK_VERSION ?? "1.18.1" },
    "hs-lag-ms": { type: "string", default: process.env.EMULATOR_HS_LAG_MS ?? "10000" },
  },
});

const port = Number(values.port);
const lagMs = Number(values["hs-lag-ms"]);
if (!Number.isInteger(port) || port < 0) throw new Error(`--port must be a port number, got ${values.port}`);
if (!Number.isFinite(lagMs) || lagMs < 0) throw new Error(`--hs-lag-ms must be >= 0, got ${values["hs-lag-ms"]}`);

const emulator = await startEmulator({
  port,
  host: values.host,
  sessionClusters: values.clusters.split(",").filter((c) => c !== ""),
  flinkVersion: values["flink-version"],
  rm: { flinkVersion: values["flink-version"] },
  historyServer: { lagMs },
});
const clusters = values.clusters.split(",").filter((c) => c !== "");
console.log(`flinkgate emulator on ${emulator.url}`);
for (const name of clusters) console.log(`  session cluster ${name.padEnd(12)} ${emulator.sessionClusterUrl(name)}`);
console.log(`  YARN RM (active)          ${emulator.rmUrls[0]}`);
console.log(`  YARN RM (standby)         ${emulator.rmUrls[1]}`);
console.log(`  History Server            ${emulator.historyServerUrl}`);
console.log(`  control API               ${emulator.controlUrl}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void emulator.stop().then(() => process.exit(0)));
}
