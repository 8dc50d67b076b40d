import { spawn } from "node:child_process";

export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** stdout and stderr interleaved in arrival order (the Flink CLI logs to either). */
  output: string;
}

/**
 * Runs a command to completion without a shell. On timeout the child (and
 * only it, by pid) gets SIGTERM, then SIGKILL after `killGraceMs`. Output is
 * capped at `maxOutputChars`, keeping the tail where errors are.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  opts: { env: NodeJS.ProcessEnv; timeoutMs: number; killGraceMs?: number; maxOutputChars?: number },
): Promise<ProcessResult> {
  const max = opts.maxOutputChars ?? 200_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let timedOut = false;
    const append = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      if (output.length > max) output = output.slice(-max);
    };
    child.stdout.on("data", append);
    child.stderr.on("data", append);
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), opts.killGraceMs ?? 5_000);
    }, opts.timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      reject(err);
    });
    child.once("close", (exitCode, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      resolve({ exitCode, signal, timedOut, output });
    });
  });
}

/** The last `lines` lines, for error messages. */
export function tail(output: string, lines = 30): string {
  return output.trimEnd().split("\n").slice(-lines).join("\n");
}
