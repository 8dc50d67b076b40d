import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closedPortUrl, sendJson, sendText, startTestServer } from "../upstream/test-server.ts";
import type { TestServer } from "../upstream/test-server.ts";
import { YarnClient } from "./yarn-client.ts";

const APP = "application_1700000000000_0042";
let rm1: TestServer;
let rm2: TestServer;

const info = (haState: string) => ({ clusterInfo: { id: 1, startedOn: 1, state: "STARTED", haState } });
/** An RM: answers as active, or as a standby that redirects to `active` (307 with Location, replaying path and query). */
function behave(rm: TestServer, role: "active" | { standbyOf: TestServer | null }) {
  rm.handle = (req, res) => {
    if (req.url.startsWith("/ws/v1/cluster/info")) return sendJson(res, 200, info(role === "active" ? "ACTIVE" : "STANDBY"));
    if (role !== "active") {
      if (role.standbyOf === null) return sendText(res, 307, "Can not find any active RM. Will retry in next 5 seconds.", { refresh: "5" });
      const location = `${role.standbyOf.url}${req.url}`;
      return sendText(res, 307, `This is standby RM. The redirect url is: ${location}`, { location });
    }
    if (req.method === "PUT") return sendJson(res, 200, { state: "KILLED" });
    return sendJson(res, 200, { apps: { app: [{ id: APP, state: "RUNNING", finalStatus: "UNDEFINED" }] } });
  };
}

beforeAll(async () => {
  rm1 = await startTestServer();
  rm2 = await startTestServer();
});
afterEach(() => {
  rm1.requests.length = 0;
  rm2.requests.length = 0;
});
afterAll(async () => {
  await rm1.close();
  await rm2.close();
});

function client(urls = [rm1.url, rm2.url]) {
  const changes: { from: string; to: string }[] = [];
  const yarn = new YarnClient({
    rmUrls: urls,
    http: { timeoutMs: 300, retry: { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 1 } },
    onActiveRmChange: (c) => changes.push(c),
  });
  return { yarn, changes };
}

describe("ResourceManager HA", () => {
  it("follows a standby's 307, replays the write with its body, and remembers the active RM", async () => {
    behave(rm1, { standbyOf: rm2 });
    behave(rm2, "active");
    const { yarn, changes } = client();
    await expect(yarn.killApp(APP)).resolves.toMatchObject({ state: "KILLED", rmUrl: rm2.url });
    expect(rm2.requests[0]).toMatchObject({ method: "PUT", text: '{"state":"KILLED"}' });
    expect(changes).toEqual([{ from: rm1.url, to: rm2.url }]);
    expect(yarn.activeRmUrl).toBe(rm2.url);
    rm1.requests.length = 0;
    await yarn.listApps();
    expect(rm1.requests).toHaveLength(0); // goes straight to the remembered RM
    await yarn.close();
  });

  it("fails back when the roles swap", async () => {
    behave(rm1, { standbyOf: rm2 });
    behave(rm2, "active");
    const { yarn, changes } = client();
    await yarn.listApps();
    behave(rm1, "active");
    behave(rm2, { standbyOf: rm1 });
    await expect(yarn.listApps()).resolves.toMatchObject({ rmUrl: rm1.url });
    expect(changes.map((c) => c.to)).toEqual([rm2.url, rm1.url]);
    await yarn.close();
  });

  it("moves past an unreachable RM", async () => {
    behave(rm2, "active");
    const { yarn } = client([await closedPortUrl(), rm2.url]);
    await expect(yarn.listApps()).resolves.toMatchObject({ rmUrl: rm2.url });
    await yarn.close();
  });

  it("reports standby when no RM is active: 307 without Location, or 200 'no active RM' text", async () => {
    behave(rm1, { standbyOf: null });
    rm2.handle = (_, res) => sendText(res, 200, "There is no active RM right now.");
    const { yarn } = client();
    await expect(yarn.listApps()).rejects.toMatchObject({ failure: "standby", isTransport: true });
    expect(rm1.requests).toHaveLength(1);
    expect(rm2.requests).toHaveLength(1);
    await yarn.close();
  });

  it("does not move a write to another RM after an ambiguous failure", async () => {
    rm1.handle = (_, res) => void res.socket?.destroy();
    behave(rm2, "active");
    const { yarn } = client();
    await expect(yarn.killApp(APP)).rejects.toMatchObject({ failure: "reset" });
    expect(rm2.requests).toHaveLength(0);
    await yarn.close();
  });

  it("finds the active RM from cluster info haState", async () => {
    behave(rm1, { standbyOf: rm2 });
    behave(rm2, "active");
    const { yarn } = client();
    await expect(yarn.findActiveRm()).resolves.toMatchObject({ rmUrl: rm2.url, info: { haState: "ACTIVE" } });
    expect(yarn.activeRmUrl).toBe(rm2.url);
    // cluster info is not redirected: asking the standby directly shows STANDBY
    const { yarn: other } = client([rm1.url]);
    await expect(other.getClusterInfo()).resolves.toMatchObject({ info: { haState: "STANDBY" }, rmUrl: rm1.url });
    behave(rm2, { standbyOf: rm1 });
    await expect(yarn.findActiveRm()).rejects.toMatchObject({ failure: "standby" });
    await yarn.close();
    await other.close();
  });
});
