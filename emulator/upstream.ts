import type { IncomingMessage } from "node:http";
import { type FaultTable, type RequestCounter, routeOf } from "./faults.ts";

export interface UpstreamContext {
  faults: FaultTable;
  counter: RequestCounter;
  /** Aborted when the emulator stops, releasing hung requests and pending latencies. */
  stopSignal: AbortSignal;
}

export interface UpstreamCall {
  /** Counted under the first key; faults are looked up for each key in turn. */
  keys: readonly string[];
  method: string;
  path: string;
  incoming: IncomingMessage;
  /** Renders an injected error status in the upstream's own error shape. */
  renderError: (status: number) => Response;
}

/** Counts one request, applies the injected fault if any, otherwise runs `handle`. */
export async function throughUpstream(ctx: UpstreamContext, call: UpstreamCall, handle: () => Promise<Response>): Promise<Response> {
  const [first] = call.keys;
  if (first !== undefined) ctx.counter.count(first, call.method, call.path);
  const route = routeOf(call.method, call.path);
  for (const key of call.keys) {
    const fault = ctx.faults.take(key, route);
    if (!fault) continue;
    const answer = fault.afterHandling ? await handle() : undefined;
    if (fault.latencyMs) await sleep(fault.latencyMs, ctx.stopSignal);
    if (fault.reset) return resetConnection(call.incoming);
    if (fault.hang) return hold(call.incoming, ctx.stopSignal);
    if (fault.status !== undefined) return call.renderError(fault.status);
    if (answer) return answer;
  }
  return handle();
}

/** Destroys the socket: the client sees ECONNRESET / "socket hang up", as with a crashed or unreachable server. */
export function resetConnection(incoming: IncomingMessage): Response {
  incoming.socket.destroy();
  return new Response(null, { status: 599 });
}

function hold(incoming: IncomingMessage, stop: AbortSignal): Promise<Response> {
  return new Promise((resolve) => {
    const release = (): void => {
      incoming.socket.destroy();
      resolve(new Response(null, { status: 599 }));
    };
    if (stop.aborted) return release();
    incoming.socket.once("close", release);
    stop.addEventListener("abort", release, { once: true });
  });
}

function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    stop.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
