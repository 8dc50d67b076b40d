import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createServer } from "node:net";
import { delimiter, join } from "node:path";
import { describe, it } from "vitest";

/**
 * Locates `promtool` and `prometheus` (Debian's `prometheus` package ships
 * both in /usr/bin). PROMTOOL / PROMETHEUS override the lookup. A test that
 * needs a missing binary is skipped with the reason in its title, except
 * under CI (`CI` set), where it fails: CI installs the package, so a missing
 * binary there is a broken pipeline, not an optional extra.
 */
export type Tool = "promtool" | "prometheus";

export function findBinary(tool: Tool, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env[tool.toUpperCase()];
  if (override) return isExecutable(override) ? override : undefined;
  const dirs = [...(env.PATH ?? "").split(delimiter), "/usr/bin", "/usr/local/bin"].filter(Boolean);
  return dirs.map((dir) => join(dir, tool)).find(isExecutable);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `describe` that hands the binary's path to `body`, or skips / fails as above. */
export function describeWithBinary(tool: Tool, title: string, body: (binary: string) => void): void {
  const binary = findBinary(tool);
  if (binary) {
    describe(title, () => body(binary));
    return;
  }
  const reason = `${tool} not found on PATH (install Debian's "prometheus" package, or set ${tool.toUpperCase()})`;
  if (process.env.CI) {
    describe(title, () => {
      it(`needs ${tool}`, () => {
        throw new Error(`${reason}; CI must provide it`);
      });
    });
  } else {
    describe.skip(`${title} — skipped: ${reason}`, () => body(""));
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a binary to completion; a non-zero exit is a result, not an exception. */
export function run(binary: string, args: string[], opts: { input?: string; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(binary, args, { cwd: opts.cwd, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") reject(error);
      else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
    child.stdin?.end(opts.input ?? "");
  });
}

/** A port that was free a moment ago, for servers that cannot be told to pick one and report it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
