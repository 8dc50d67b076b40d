import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real local HTTP server for client tests. msw intercepts Node's global
 * fetch and node:http, but not undici's own `request()` over a custom Agent,
 * which the upstream clients use; a real socket also lets tests produce
 * genuine resets and refusals.
 */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
  text: string;
}

export type TestHandler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  handle: TestHandler;
  close(): Promise<void>;
}

export async function startTestServer(handle: TestHandler = (_, res) => sendJson(res, 404, {})): Promise<TestServer> {
  const state: TestServer = { url: "", requests: [], handle, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, text: body.toString() };
      state.requests.push(recorded);
      void Promise.resolve(state.handle(recorded, res)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
  res.end(JSON.stringify(body));
}

export function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "text/plain", ...headers });
  res.end(body);
}

/** A port that was just free: connecting to it is refused. */
export async function closedPortUrl(): Promise<string> {
  const s = await startTestServer();
  const url = s.url;
  await s.close();
  return url;
}
