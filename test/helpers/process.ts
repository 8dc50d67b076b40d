import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  /** Every JSON log line printed so far. */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the first log line matching `msg`. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
  /** SIGKILL for the gateway and every process it started (its process group), like a host or container dying. */
  crash(): Promise<void>;
}

const ROOT = new URL("../../", import.meta.url);

/**
 * Starts the gateway exactly as `npm start` does (the bundle of `src/main.ts`
 * in dist/, built by test/global-setup.ts), and waits until it listens.
 * It leads a process group of its own, so `crash()` takes its children (a
 * running Flink CLI) down with it.
 */
export async function startGatewayProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ["--enable-source-maps", "dist/main.mjs"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const logs: Array<Record<string, unknown>> = [];
  const waiters: Array<{ msg: string; resolve: (line: Record<string, unknown>) => void }> = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout! }).on("line", (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    logs.push(line);
    for (const waiter of waiters.filter((w) => w.msg === line.msg)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const crash = async (): Promise<void> => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // The group is gone already.
    }
    await exited;
  };
  const waitForLog = (msg: string, ms = timeoutMs) => {
    const seen = logs.find((l) => l.msg === msg);
    if (seen) return Promise.resolve(seen);
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no '${msg}' log within ${ms} ms; stderr: ${stderr}`)), ms);
      waiters.push({ msg, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      void exited.then((code) => reject(new Error(`gateway exited (${code}) before '${msg}'; stderr: ${stderr}`)));
    });
  };
  const listening = await waitForLog("flinkgate listening");
  return { child, url: String(listening.url), logs, waitForLog, exited, crash };
}
