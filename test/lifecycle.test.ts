import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processDatabaseEnv } from "./helpers/database.ts";
import { startGatewayProcess } from "./helpers/process.ts";

const ADMIN = "lifecycle-admin-token-0123456789";
let env: Record<string, string>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const database = await processDatabaseEnv();
  env = { ...database.env, BOOTSTRAP_ADMIN_TOKEN: ADMIN };
  cleanup = database.cleanup;
});
afterAll(async () => cleanup());

function rawRequest(url: string, head: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let response = "";
  socket.on("data", (chunk) => (response += chunk.toString()));
  const ended = new Promise<string>((resolve) => socket.on("close", () => resolve(response)));
  socket.write(head);
  return { socket, ended };
}

describe("the gateway process", () => {
  it("finishes an in-flight request on SIGTERM, refuses new ones, exits 0, and keeps its data", async () => {
    const first = await startGatewayProcess(env);
    const headers = { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" };
    const created = await fetch(`${first.url}/v1/tokens`, { method: "POST", headers, body: JSON.stringify({ name: "kept", scopes: ["runs:read"] }) });
    expect(created.status).toBe(201);

    // A request whose body is still arriving when the signal comes.
    const body = JSON.stringify({ name: "in-flight", scopes: ["runs:read"] });
    const inFlight = rawRequest(
      first.url,
      `POST /v1/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    first.child.kill("SIGTERM");
    await first.waitForLog("shutting down");
    await expect(fetch(`${first.url}/healthz`)).rejects.toThrow();
    inFlight.socket.write(body.slice(10));
    const response = await inFlight.ended;
    expect(response).toMatch(/^HTTP\/1.1 201/);
    expect(await first.exited).toBe(0);
    expect(first.logs.some((l) => l.msg === "flinkgate stopped")).toBe(true);

    const second = await startGatewayProcess(env);
    try {
      const list = (await (await fetch(`${second.url}/v1/tokens`, { headers })).json()) as { items: Array<{ name: string }> };
      expect(list.items.map((t) => t.name).sort()).toEqual(["in-flight", "kept"]);
    } finally {
      second.child.kill("SIGINT");
      expect(await second.exited).toBe(0);
    }
  }, 120_000);

  it("refuses to start with a bad configuration, naming every bad variable", async () => {
    const { spawnSync } = await import("node:child_process");
    const result = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: new URL("../", import.meta.url),
      env: { PATH: process.env.PATH ?? "", PORT: "http", MONITOR_POLL_INTERVAL: "often" },
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("PORT");
    expect(result.stderr).toContain("MONITOR_POLL_INTERVAL");
  });
});
