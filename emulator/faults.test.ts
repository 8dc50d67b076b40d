import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "./clock.ts";
import { startEmulator, type Emulator } from "./emulator.ts";
import { eventually, getJson, hexId, postJson, runJar, uploadJar } from "./test-helpers.ts";

describe("fault injection, History Server lag and request counters", () => {
  const clock = new ManualClock();
  let emulator: Emulator;
  let base: string;

  beforeAll(async () => {
    emulator = await startEmulator({ clock, historyServer: { lagMs: 15_000 } });
    base = emulator.sessionClusterUrl("default");
  });
  afterAll(() => emulator.stop());

  it("injects 5xx in the upstream's own shape, resets, hangs and latency; `times` limits them", async () => {
    emulator.control.setFault("session:default", { status: 503, times: 1 });
    const failed = await getJson(`${base}/overview`);
    expect(failed.status).toBe(503);
    expect(failed.body.errors[0]).toBe("Internal server error.");
    expect((await getJson(`${base}/overview`)).status).toBe(200);

    emulator.control.setFault("rm", { status: 503 });
    expect((await getJson(`${emulator.rmUrls[0]}/ws/v1/cluster/info`)).body.RemoteException).toBeDefined();
    emulator.control.clearFaults("rm");

    emulator.control.setFault("history", { reset: true });
    await expect(fetch(`${emulator.historyServerUrl}/jobs/overview`)).rejects.toThrow();
    emulator.control.setFault("history", { hang: true });
    await expect(fetch(`${emulator.historyServerUrl}/jobs/overview`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    emulator.control.setFault("history", { latencyMs: 150, times: 1 });
    const started = performance.now();
    expect((await getJson(`${emulator.historyServerUrl}/jobs/overview`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    emulator.control.clearFaults();
  });

  it("a routed fault hits only its route; afterHandling lets the request take effect and withholds the answer", async () => {
    const jar = await uploadJar(base);
    emulator.control.setFault("session:default", { route: "POST /v1/jars/:id/run", hang: true, afterHandling: true, times: 1 });
    expect((await getJson(`${base}/v1/overview`)).status).toBe(200);
    expect(emulator.control.listFaults()["session:default"]).toBeDefined();
    const jobId = hexId(0xc4);
    const run = fetch(`${base}/v1/jars/${jar}/run`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ entryClass: "com.acme.Stream", jobId }),
      signal: AbortSignal.timeout(300),
    });
    await expect(run).rejects.toThrow();
    expect(emulator.control.job(jobId)?.state).toBe("RUNNING");
    expect(emulator.control.listFaults()).toEqual({});

    emulator.control.setFault("session:default", { route: "POST /jars/:id/run", status: 502, afterHandling: true, times: 1 });
    const second = await runJar(base, jar, { entryClass: "com.acme.Stream", jobId: hexId(0xc5) });
    expect(second.status).toBe(502);
    expect(emulator.control.job(hexId(0xc5))).toBeDefined();
    emulator.control.setFault("session:default", { route: "POST /jars/:id/run", hang: true });
    const runs = () => emulator.control.counters()["session:default"]?.byRoute["POST /jars/:id/run"] ?? 0;
    const before = runs();
    const unhandled = runJar(base, jar, { entryClass: "com.acme.Stream", jobId: hexId(0xc6) }).catch(() => undefined);
    await eventually(async () => (runs() > before ? true : undefined), 2_000, "the held request");
    expect(emulator.control.job(hexId(0xc6))).toBeUndefined();
    emulator.control.clearFaults();
    void unhandled;
  });

  it("a finished job reaches the History Server only after the lag; HS has no /v1 and no writes", async () => {
    const jar = await uploadJar(base);
    const jobId = hexId(0xc1);
    await runJar(base, jar, { entryClass: "com.acme.BatchJob", jobId, programArgsList: ["--emulator.runMs=1000"] });
    await emulator.control.advance(1_000);
    expect((await getJson(`${base}/jobs/${jobId}`)).body.state).toBe("FINISHED");
    expect(await getJson(`${emulator.historyServerUrl}/jobs/${jobId}`)).toMatchObject({ status: 404, body: { errors: ["File not found."] } });
    await emulator.control.advance(15_000);
    const archived = await getJson(`${emulator.historyServerUrl}/jobs/${jobId}`);
    expect(archived.body.state).toBe("FINISHED");
    expect(archived.headers.get("cache-control")).toBe("private, max-age=300");
    expect((await getJson(`${emulator.historyServerUrl}/jobs/overview`)).body.jobs.map((j: { jid: string }) => j.jid)).toEqual([jobId]);
    expect((await getJson(`${emulator.historyServerUrl}/v1/jobs/overview`)).status).toBe(404);
    expect((await postJson(`${emulator.historyServerUrl}/jobs/overview`, {})).body).toEqual({ errors: ["Not found: /jobs/overview"] });
    const cached = await fetch(`${emulator.historyServerUrl}/jobs/overview`, { headers: { "If-Modified-Since": archived.headers.get("last-modified")! } });
    expect(cached.status).toBe(304);
  });

  it("proxy 404 for a live application, RM forgetting apps, and per-upstream counters", async () => {
    const user = "?user.name=t";
    const rm = emulator.rmUrls[0];
    const appId = (await postJson(`${rm}/ws/v1/cluster/apps/new-application${user}`, {})).body["application-id"];
    const command = `java org.apache.flink.yarn.entrypoint.YarnApplicationClusterEntryPoint -D$internal.pipeline.job-id=${hexId(0xc2)} -D$internal.application.main=com.acme.BatchJob`;
    await postJson(`${rm}/ws/v1/cluster/apps${user}`, { "application-id": appId, "am-container-spec": { commands: { command } } });
    await emulator.control.advance(100);
    expect(emulator.control.app(appId)).toMatchObject({ state: "RUNNING", jobId: hexId(0xc2) });
    expect((await getJson(`${rm}/proxy/${appId}/jobs/overview`)).status).toBe(200);
    emulator.control.setProxyNotFound(appId, true);
    expect((await getJson(`${rm}/proxy/${appId}/jobs/overview`)).status).toBe(404);
    emulator.control.setProxyNotFound(appId, false);

    await emulator.control.advance(1_100);
    expect(emulator.control.app(appId)).toMatchObject({ state: "FINISHED", finalStatus: "SUCCEEDED" });
    expect(emulator.control.forgetApps({ ids: [appId] })).toEqual([appId]);
    expect((await getJson(`${rm}/ws/v1/cluster/apps/${appId}`)).status).toBe(404);

    const counters = (await getJson(`${emulator.url}/_emulator/counters`)).body.counters;
    expect(counters[`proxy:${appId}`].total).toBe(2);
    expect(counters["session:default"].byRoute["GET /jobs/:id"]).toBeGreaterThanOrEqual(1);
    const totals = (await getJson(`${emulator.url}/_emulator/counters?by=kind`)).body.totals;
    const sumOf = (kind: string) => Object.entries(counters as Record<string, { total: number }>).reduce((sum, [key, c]) => (key.split(":")[0] === kind ? sum + c.total : sum), 0);
    expect(totals).toEqual(Object.fromEntries(["session", "rm", "proxy", "am", "history"].filter((k) => sumOf(k) > 0).map((k) => [k, sumOf(k)])));
    expect(totals.proxy).toBeGreaterThanOrEqual(2);
  });

  it("control routes drive jobs over HTTP", async () => {
    const jar = await uploadJar(base);
    const jobId = hexId(0xc3);
    await runJar(base, jar, { entryClass: "com.acme.Stream", jobId });
    const control = `${emulator.url}/_emulator`;
    expect((await postJson(`${control}/jobs/${jobId}/restart`, { message: "boom" })).body).toMatchObject({ state: "RESTARTING", restarts: 1 });
    await emulator.control.advance(100);
    expect((await postJson(`${control}/jobs/${jobId}/fail`, {})).body.state).toBe("FAILED");
    expect((await postJson(`${control}/jobs/${jobId}/fail`, {})).status).toBe(400);
    expect((await getJson(`${control}/jobs?cluster=default`)).body.jobs.length).toBeGreaterThanOrEqual(2);
    expect((await postJson(`${control}/faults/am`, { status: 500 }, "PUT")).status).toBe(200);
    expect((await getJson(`${control}/faults`)).body.faults).toEqual({ am: { status: 500 } });
  });
});
