import { readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig } from "./config/config.ts";
import { createGateway } from "./gateway.ts";
import { packageRoot } from "./runtime/package-root.ts";

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`flinkgate: ${error.message}`);
  process.exit(2);
}
const { version } = JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string };
const gateway = await createGateway(config, { version }).catch((error: unknown) => {
  console.error(`flinkgate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
await gateway.start();

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    gateway.logger.info({ signal }, "shutting down");
    gateway.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        gateway.logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
