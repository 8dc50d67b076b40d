import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "./emulator.ts";
import { eventually, getJson, hexId, postJson } from "./test-helpers.ts";

/** What the gateway's yarn-rest launcher would send: dynamic properties on the Flink entrypoint. */
function submission(appId: string, jobId: string, args: string[], tag: string) {
  const props = {
    "$internal.pipeline.job-id": jobId,
    "$internal.application.main": "com.acme.Orders",
    "$internal.application.program-args": args.join(";"),
    "execution.target": "yarn-application",
    "historyserver.web.address": "hs",
  };
  const dynamic = Object.entries(props).map(([k, v]) => `-D ${k}="${v}"`).join(" ");
  return {
    "application-id": appId,
    "application-name": "orders",
    "application-type": "Apache Flink",
    "application-tags": { tag: [tag, "team-Growth"] },
    resource: { memory: 2048, vCores: 1 },
    "am-container-spec": {
      commands: { command: `$JAVA_HOME/bin/java -Xmx1g org.apache.flink.yarn.entrypoint.YarnApplicationClusterEntryPoint ${dynamic} 1> <LOG_DIR>/jobmanager.out 2> <LOG_DIR>/jobmanager.err` },
    },
  };
}

describe("YARN application lifecycle over HTTP", () => {
  let emulator: Emulator;
  let rm: string;
  const user = "?user.name=flinkgate";

  beforeAll(async () => {
    emulator = await startEmulator({ historyServer: { lagMs: 0 } });
    rm = emulator.rmUrls[0];
  });
  afterAll(() => emulator.stop());

  async function submit(jobId: string, args: string[], tag: string): Promise<string> {
    const created = await postJson(`${rm}/ws/v1/cluster/apps/new-application${user}`, {});
    const appId = created.body["application-id"] as string;
    const res = await postJson(`${rm}/ws/v1/cluster/apps${user}`, submission(appId, jobId, args, tag));
    expect(res.status).toBe(202);
    return appId;
  }
  const app = async (appId: string) => (await getJson(`${rm}/ws/v1/cluster/apps/${appId}`)).body.app;

  it("goes ACCEPTED → RUNNING → FINISHED/SUCCEEDED; the AM address then stops answering and the proxy redirects", async () => {
    const jobId = hexId(0xb1);
    const appId = await submit(jobId, ["--emulator.kind=batch", "--emulator.runMs=400", "--emulator.deployMs=150"], "gw-RUN1");
    expect((await app(appId)).state).toBe("ACCEPTED");
    expect((await app(appId)).amRPCAddress).toBeUndefined();
    const running = await eventually(async () => ((await app(appId)).state === "RUNNING" ? app(appId) : undefined));
    expect(running).toMatchObject({ finalStatus: "UNDEFINED", trackingUI: "ApplicationMaster", applicationTags: "gw-run1,team-growth" });
    const direct = `http://${running.amRPCAddress}`;
    expect((await getJson(`${direct}/jobs/${jobId}`)).body.state).toBe("RUNNING");
    expect((await getJson(`${direct}/v1/jars`)).status).toBe(404);
    const proxied = `${rm}/proxy/${appId}`;
    expect((await getJson(`${proxied}/jobs/overview`)).body.jobs[0].jid).toBe(jobId);
    expect((await getJson(`${proxied}/jobs/${jobId}/savepoints`, { method: "POST" })).status).toBe(405);
    expect((await getJson(`${proxied}/jobs/${jobId}`, { method: "PATCH" })).status).toBe(501);

    const done = await eventually(async () => ((await app(appId)).state === "FINISHED" ? app(appId) : undefined));
    expect(done).toMatchObject({ finalStatus: "SUCCEEDED", diagnostics: "", trackingUI: "History" });
    await expect(fetch(`${direct}/jobs/${jobId}`)).rejects.toThrow();
    const redirect = await fetch(`${proxied}/jobs/${jobId}`, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe(`${emulator.historyServerUrl}/jobs/${jobId}`);
    expect((await getJson(redirect.headers.get("location")!)).body.state).toBe("FINISHED");
  });

  it("a cancelled job ends FINISHED/KILLED; a YARN kill ends KILLED/KILLED (202 then 200)", async () => {
    const cancelled = hexId(0xb2);
    const a1 = await submit(cancelled, ["--emulator.deployMs=0"], "gw-cancel");
    const r1 = await eventually(async () => ((await app(a1)).state === "RUNNING" ? app(a1) : undefined));
    // Through the proxy, cancel uses the GET twin.
    expect((await getJson(`${rm}/proxy/${a1}/jobs/${cancelled}/yarn-cancel`)).status).toBe(202);
    void r1;
    expect(await eventually(async () => ((await app(a1)).state === "FINISHED" ? app(a1) : undefined))).toMatchObject({ finalStatus: "KILLED" });

    const a2 = await submit(hexId(0xb3), ["--emulator.deployMs=0"], "gw-kill");
    await eventually(async () => ((await app(a2)).state === "RUNNING" ? true : undefined));
    const first = await postJson(`${rm}/ws/v1/cluster/apps/${a2}/state${user}`, { state: "KILLED" }, "PUT");
    expect(first).toMatchObject({ status: 202, body: { state: "RUNNING" } });
    const second = await postJson(`${rm}/ws/v1/cluster/apps/${a2}/state${user}`, { state: "KILLED" }, "PUT");
    expect(second).toMatchObject({ status: 200, body: { state: "KILLED" } });
    expect(await app(a2)).toMatchObject({ state: "KILLED", finalStatus: "KILLED" });
  });

  it("lists with filters, answers YARN's error shapes, and validates submissions", async () => {
    const list = async (q: string) => (await getJson(`${rm}/ws/v1/cluster/apps?${q}`)).body;
    expect((await list("applicationTags=GW-RUN1")).apps.app).toHaveLength(1);
    expect((await list("applicationTypes=apache%20flink&states=finished,killed")).apps.app.length).toBeGreaterThanOrEqual(3);
    expect(await list("applicationTags=nothing-here")).toEqual({ apps: {} });
    expect((await list("limit=1")).apps.app).toHaveLength(1);
    expect((await list(`startedTimeBegin=${Date.now() + 60_000}`)).apps).toEqual({});
    const badState = await getJson(`${rm}/ws/v1/cluster/apps?states=BOGUS`);
    expect(badState.status).toBe(400);
    expect(badState.body.RemoteException.exception).toBe("BadRequestException");
    const missing = await getJson(`${rm}/ws/v1/cluster/apps/application_1_9999`);
    expect(missing).toMatchObject({ status: 404, body: { RemoteException: { exception: "NotFoundException", message: "java.lang.Exception: app with id: application_1_9999 not found" } } });
    expect((await postJson(`${rm}/ws/v1/cluster/apps/new-application`, {})).status).toBe(401);
    const id = (await postJson(`${rm}/ws/v1/cluster/apps/new-application${user}`, {})).body["application-id"];
    const tooBig = await postJson(`${rm}/ws/v1/cluster/apps${user}`, { ...submission(id, hexId(1), [], "x"), resource: { memory: 999_999, vCores: 1 } });
    expect(tooBig).toMatchObject({ status: 400, body: { RemoteException: { message: "Requested more memory than configured max" } } });
    const noCommand = await postJson(`${rm}/ws/v1/cluster/apps${user}`, { "application-id": id, "max-app-attempts": 1 });
    expect(noCommand.status).toBe(202);
    const failed = await eventually(async () => ((await app(id)).state === "FAILED" ? app(id) : undefined));
    expect(failed.diagnostics).toContain("exited with  exitCode: 127");
  });

  it("a standby redirects with 307 but answers cluster info itself; failover swaps them", async () => {
    const standby = emulator.rmUrls[1];
    expect((await getJson(`${standby}/ws/v1/cluster/info`)).body.clusterInfo.haState).toBe("STANDBY");
    const res = await fetch(`${standby}/ws/v1/cluster/apps?states=RUNNING`, { redirect: "manual" });
    expect(res.status).toBe(307);
    expect(res.headers.get("location")).toBe(`${rm}/ws/v1/cluster/apps?states=RUNNING`);
    expect(await res.text()).toContain("This is standby RM. The redirect url is:");
    emulator.control.failover();
    expect((await getJson(`${standby}/ws/v1/cluster/info`)).body.clusterInfo.haState).toBe("ACTIVE");
    expect((await fetch(`${rm}/ws/v1/cluster/apps`, { redirect: "manual" })).status).toBe(307);
    emulator.control.setActiveRm(null);
    const none = await fetch(`${standby}/ws/v1/cluster/apps`, { redirect: "manual" });
    expect(none.status).toBe(307);
    expect(none.headers.get("location")).toBeNull();
    emulator.control.setActiveRm("rm1");
  });
});
