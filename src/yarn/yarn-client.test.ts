import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../domain/errors.ts";
import type { UnknownValueReport } from "../upstream/lenient-enum.ts";
import { sendJson, sendText, startTestServer } from "../upstream/test-server.ts";
import type { TestServer } from "../upstream/test-server.ts";
import { YarnClient } from "./yarn-client.ts";
import { buildSubmissionContext, submissionContextSchema } from "./yarn-submission.ts";

const APP = "application_1700000000000_0042";
let server: TestServer;
let yarn: YarnClient;
const reports: UnknownValueReport[] = [];

beforeAll(async () => {
  server = await startTestServer();
  yarn = new YarnClient({
    rmUrls: [`${server.url}/clusters/y1`],
    user: "flinkgate",
    http: { timeoutMs: 500, retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 2 } },
    onUnknownValue: (r) => reports.push(r),
  });
});
afterEach(() => {
  server.requests.length = 0;
  reports.length = 0;
});
afterAll(async () => {
  await yarn.close();
  await server.close();
});

const app = (over: Record<string, unknown> = {}) => ({
  id: APP, user: "flink", name: "orders", queue: "default", state: "RUNNING", finalStatus: "UNDEFINED", progress: 10,
  trackingUI: "ApplicationMaster", trackingUrl: `http://rm:8088/proxy/${APP}/`, diagnostics: "", clusterId: 1700000000000,
  applicationType: "Apache Flink", applicationTags: "gw-run-1,team-growth", priority: 0, startedTime: 5, finishedTime: 0,
  elapsedTime: 10, amRPCAddress: "nm1:40123", ...over,
});

describe("YarnClient", () => {
  it("lists apps with filters, lower-cased tags and the empty shapes", async () => {
    server.handle = (_, res) => sendJson(res, 200, { apps: { app: [app()] } });
    const { apps, rmUrl } = await yarn.listApps({
      states: ["RUNNING", "ACCEPTED"], applicationTags: ["GW-Run-1"], applicationTypes: ["Apache Flink"],
      startedTimeBegin: 100, finishedTimeBegin: 200, limit: 50,
    });
    expect(rmUrl).toBe(`${server.url}/clusters/y1`);
    expect(apps[0]).toMatchObject({ id: APP, tags: ["gw-run-1", "team-growth"], finishedTime: null, amRPCAddress: "nm1:40123" });
    expect(server.requests[0]?.url).toBe(
      "/clusters/y1/ws/v1/cluster/apps?states=RUNNING%2CACCEPTED&applicationTags=gw-run-1&applicationTypes=Apache%20Flink&startedTimeBegin=100&finishedTimeBegin=200&limit=50&deSelects=resourceRequests&user.name=flinkgate",
    );
    for (const empty of [{ apps: null }, { apps: {} }, { apps: { app: [] } }]) {
      server.handle = (_, res) => sendJson(res, 200, empty);
      await expect(yarn.listApps()).resolves.toMatchObject({ apps: [] });
    }
    server.handle = (_, res) => sendJson(res, 200, { apps: { app: app() } });
    expect((await yarn.listApps()).apps).toHaveLength(1);
  });

  it("keeps and reports an unknown application state", async () => {
    server.handle = (_, res) => sendJson(res, 200, { app: app({ state: "PAUSED" }) });
    await expect(yarn.getApp(APP)).resolves.toMatchObject({ app: { state: "PAUSED" } });
    expect(reports).toEqual([expect.objectContaining({ enumName: "yarn.YarnApplicationState", value: "PAUSED" })]);
  });

  it("turns the RemoteException 404 into not-found with its message", async () => {
    server.handle = (_, res) =>
      sendJson(res, 404, { RemoteException: { exception: "NotFoundException", message: `java.lang.Exception: app with id: ${APP} not found`, javaClassName: "org.apache.hadoop.yarn.webapp.NotFoundException" } });
    await expect(yarn.getAppState(APP)).rejects.toMatchObject({ failure: "not-found", upstreamMessage: `app with id: ${APP} not found` });
  });

  it("kills: 202 is pending, 200 is done, a 403 text body is rejected", async () => {
    server.handle = (_, res) => sendJson(res, 202, { state: "ACCEPTED" }, { location: `http://rm/ws/v1/cluster/apps/${APP}/state` });
    await expect(yarn.killApp(APP, { diagnostics: "by flinkgate" })).resolves.toMatchObject({ state: "ACCEPTED", pending: true });
    expect(server.requests[0]).toMatchObject({ method: "PUT", url: `/clusters/y1/ws/v1/cluster/apps/${APP}/state?user.name=flinkgate` });
    expect(JSON.parse(server.requests[0]?.text ?? "")).toEqual({ state: "KILLED", diagnostics: "by flinkgate" });
    server.handle = (_, res) => sendJson(res, 200, { state: "KILLED" });
    await expect(yarn.killApp(APP)).resolves.toMatchObject({ state: "KILLED", pending: false });
    server.handle = (_, res) => sendText(res, 403, `Unauthorized attempt to kill appid ${APP} by remote user x`);
    await expect(yarn.killApp(APP)).rejects.toMatchObject({ failure: "rejected", upstreamStatus: 403 });
  });

  it("gets a new application id and submits an AM container spec", async () => {
    server.handle = (req, res) =>
      req.url.includes("new-application")
        ? sendJson(res, 200, { "application-id": APP, "maximum-resource-capability": { memory: 8192, vCores: 32 } })
        : sendText(res, 202, "", { location: `http://rm:8088/ws/v1/cluster/apps/${APP}` });
    const fresh = await yarn.newApplication();
    expect(fresh).toMatchObject({ applicationId: APP, maximumResourceCapability: { memoryMb: 8192 } });
    const submitted = await yarn.submitApplication({
      applicationId: APP, name: "orders-enrich", command: "$JAVA_HOME/bin/java org.apache.flink.yarn.entrypoint.YarnApplicationClusterEntryPoint",
      localResources: { "flink-dist.jar": { resource: "hdfs:///flink/lib/flink-dist.jar", size: 10, timestamp: 20 } },
      environment: { _FLINK_CLASSPATH: "./*" }, resource: { memoryMb: 2048, vCores: 1 }, tags: ["GW-Run-1"], queue: "default",
    });
    expect(submitted).toMatchObject({ applicationId: APP, location: `http://rm:8088/ws/v1/cluster/apps/${APP}` });
    const sent = JSON.parse(server.requests[1]?.text ?? "");
    expect(submissionContextSchema.parse(sent)).toEqual(sent);
    expect(sent).toMatchObject({
      "application-id": APP, "application-type": "Apache Flink", queue: "default", resource: { memory: 2048, vCores: 1 },
      "application-tags": { tag: ["gw-run-1"] },
      "am-container-spec": {
        "local-resources": { entry: [{ key: "flink-dist.jar", value: { resource: "hdfs:///flink/lib/flink-dist.jar", type: "FILE", visibility: "APPLICATION", size: 10, timestamp: 20 } }] },
        environment: { entry: [{ key: "_FLINK_CLASSPATH", value: "./*" }] },
      },
    });
  });

  it("never retries a submit on 5xx", async () => {
    server.handle = (_, res) => sendJson(res, 503, { RemoteException: { exception: "X", message: "boom" } });
    await expect(
      yarn.submitApplication({ applicationId: APP, name: "x", command: "true", resource: { memoryMb: 1, vCores: 1 } }),
    ).rejects.toMatchObject({ failure: "server-error" });
    expect(server.requests).toHaveLength(1);
  });

  it("refuses more than 10 tags before sending", () => {
    expect(() =>
      buildSubmissionContext({ applicationId: APP, name: "x", command: "true", resource: { memoryMb: 1, vCores: 1 }, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }),
    ).toThrow(ValidationError);
  });
});
