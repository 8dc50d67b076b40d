import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { startEmulator } from "../emulator/emulator.ts";
import { loadConfig } from "../src/config/config.ts";
import { createGateway } from "../src/gateway.ts";
import { buildZip } from "../test/helpers/zip.ts";

/**
 * `npm run demo`: the Flink + YARN emulator and a gateway in front of it,
 * with a session target (`demo-session`) and a YARN target (`demo-yarn`)
 * registered. Everything else is done through the API (see the README).
 */
const env = {
  PORT: "8080",
  DATA_DIR: "./data/demo",
  BOOTSTRAP_ADMIN_TOKEN: "demo-admin-token-0123456789",
  MONITOR_POLL_INTERVAL: "1s",
  LOG_LEVEL: "warn",
  ...process.env,
};
const config = loadConfig(env);
const token = config.BOOTSTRAP_ADMIN_TOKEN as string;

const emulator = await startEmulator({ port: Number(process.env.EMULATOR_PORT ?? 8081), historyServer: { lagMs: 3_000 } });
const gateway = await createGateway(config, { version: "demo" });
const { url } = await gateway.start();

// yarn-rest ships Flink and the job's jar as YARN local resources: give it files it can stat.
const files = path.resolve(config.DATA_DIR, "demo-files");
await mkdir(files, { recursive: true });
const jar = buildZip({ "META-INF/MANIFEST.MF": "Manifest-Version: 1.0\n" });
await writeFile(path.join(files, "flink-dist.jar"), jar);
await writeFile(path.join(files, "orders.jar"), jar);

async function ensureTarget(body: Record<string, unknown>) {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const response = await fetch(`${url}/v1/targets`, { method: "POST", headers, body: JSON.stringify(body) });
  if (response.status === 409) {
    const { name: _name, kind: _kind, ...rest } = body;
    await fetch(`${url}/v1/targets/${String(body.name)}`, { method: "PATCH", headers, body: JSON.stringify(rest) });
  } else if (!response.ok) {
    throw new Error(`registering ${String(body.name)}: ${response.status} ${await response.text()}`);
  }
}

await ensureTarget({ name: "demo-session", kind: "session", restUrl: emulator.sessionClusterUrl("default"), historyServerUrl: emulator.historyServerUrl });
await ensureTarget({
  name: "demo-yarn",
  kind: "yarn",
  rmUrls: emulator.rmUrls,
  historyServerUrl: emulator.historyServerUrl,
  launcher: "yarn-rest",
  user: "flink",
  flinkVersion: "1.18.1",
  flinkDistUri: `file://${path.join(files, "flink-dist.jar")}`,
});

console.log(`
flinkgate demo
  gateway          ${url}   (API docs: ${url}/docs)
  admin token      ${token}
  session cluster  ${emulator.sessionClusterUrl("default")}
  YARN RMs         ${emulator.rmUrls.join(", ")}
  History Server   ${emulator.historyServerUrl}
  a job jar        file://${path.join(files, "orders.jar")}

Targets 'demo-session' and 'demo-yarn' are registered. Follow the README's walkthrough.
Ctrl-C stops everything.`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void gateway
      .stop()
      .then(() => emulator.stop())
      .then(() => process.exit(0));
  });
}
