import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * `npm run bench`: every benchmark in turn, each in its own process (they
 * measure their own CPU time and RSS), with the arguments given to this one.
 */
const BENCHMARKS = ["monitor.ts"];

let failed = 0;
for (const file of BENCHMARKS) {
  const result = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(new URL(file, import.meta.url)), ...process.argv.slice(2)], { stdio: "inherit" });
  if (result.status !== 0) {
    failed += 1;
    console.error(`bench/${file} exited with ${result.status ?? result.signal}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
