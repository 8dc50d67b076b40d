import { type ChildProcess, fork } from "node:child_process";

/**
 * Request / response over Node's IPC channel, so the emulator and the naive
 * poller and the gateway under measurement each run in their own process,
 * each measuring its own CPU time and RSS.
 */
interface Request {
  id: number;
  method: string;
  args: unknown;
}
type Reply = { id: number; result: unknown } | { id: number; error: string };

export interface RpcChild {
  call<T>(method: string, args?: unknown): Promise<T>;
  /** Asks the child to stop and waits for it to exit. */
  close(): Promise<void>;
}

/** Forks `file`: a `.ts` file through tsx, a compiled `.mjs` one with plain node. */
export function forkChild(file: string): RpcChild {
  const child: ChildProcess = fork(file, [], {
    execArgv: file.endsWith(".ts") ? ["--import", "tsx"] : [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    // Structured clone: runs keep their Dates on the way to the gateway's process.
    serialization: "advanced",
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 0;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.on("message", (message: Reply) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if ("error" in message) waiter?.reject(new Error(`${file}: ${message.error}`));
    else waiter?.resolve(message.result);
  });
  child.once("exit", (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${file} exited with ${code}`));
    pending.clear();
  });
  return {
    call<T>(method: string, args?: unknown): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, method, args } satisfies Request);
      });
    },
    async close() {
      if (child.exitCode === null) child.disconnect();
      await exited;
    },
  };
}

/** The child's side: answers each request with its handler's result; exits when the parent disconnects. */
export function serveRpc(handlers: Record<string, (args: any) => unknown>): void {
  process.on("message", async (request: Request) => {
    try {
      const handler = handlers[request.method];
      if (!handler) throw new Error(`no method ${request.method}`);
      process.send?.({ id: request.id, result: (await handler(request.args)) ?? null } satisfies Reply);
    } catch (error) {
      process.send?.({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies Reply);
    }
  });
  process.once("disconnect", () => {
    void Promise.resolve(handlers.stop?.(undefined)).finally(() => process.exit(0));
  });
}
