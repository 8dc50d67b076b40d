import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { UnsupportedUpstreamOperationError, UpstreamError } from "../domain/errors.ts";
import type { UnknownValueReport } from "../upstream/lenient-enum.ts";
import { sendJson, startTestServer } from "../upstream/test-server.ts";
import type { RecordedRequest, TestServer } from "../upstream/test-server.ts";
import { UpstreamHttp } from "../upstream/upstream-http.ts";
import { FlinkClient } from "./flink-client.ts";
import type { FlinkClientOptions } from "./flink-client.ts";

const JOB = "0123456789abcdef0123456789abcdef";
const TRIGGER = "fedcba9876543210fedcba9876543210";
let server: TestServer;
let http: UpstreamHttp;

beforeAll(async () => {
  server = await startTestServer();
  http = new UpstreamHttp({ upstream: "flink", timeoutMs: 500, retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 2 } });
});
afterEach(() => {
  server.requests.length = 0;
});
afterAll(async () => {
  await http.close();
  await server.close();
});

function client(opts: Partial<FlinkClientOptions> = {}) {
  return new FlinkClient({ baseUrl: `${server.url}/clusters/s1/`, http, ...opts });
}

/** Routes by "METHOD path" (query stripped); the config answer carries `version`. */
function flink(version: string, routes: Record<string, unknown>) {
  server.handle = (req: RecordedRequest, res) => {
    const path = req.url.split("?")[0] ?? "";
    if (path.endsWith("/config")) return sendJson(res, 200, { "flink-version": version, features: { "web-submit": true } });
    const key = Object.keys(routes).find((k) => {
      const [method, suffix = ""] = k.split(" ");
      return method === req.method && path.endsWith(suffix);
    });
    if (key === undefined) return sendJson(res, 404, { errors: [`Not found: ${path}`] });
    const answer = routes[key];
    if (Array.isArray(answer) && typeof answer[0] === "number") return sendJson(res, answer[0], answer[1]);
    return sendJson(res, 200, answer);
  };
}

const lastBody = (suffix: string) => JSON.parse(server.requests.find((r) => r.url.split("?")[0]?.endsWith(suffix))?.text ?? "null");

describe("FlinkClient reads", () => {
  it("joins the path prefix and /v1, and handles the empty jobs list", async () => {
    flink("1.18.1", { "GET /jobs/overview": { jobs: [] } });
    await expect(client().listJobs()).resolves.toEqual([]);
    expect(server.requests[0]?.url).toBe("/clusters/s1/v1/jobs/overview");
    flink("1.18.1", { "GET /jobs/overview": {} });
    await expect(client().listJobs()).resolves.toEqual([]);
  });

  it("keeps an unknown job state, reports it, and maps end-time -1 to null", async () => {
    const reports: UnknownValueReport[] = [];
    flink("2.2.0", {
      "GET /jobs/overview": {
        jobs: [{ jid: JOB, name: "orders", state: "RESCALING", "start-time": 1, "end-time": -1, duration: 5, tasks: { total: 2 } }],
      },
    });
    const [job] = await client({ onUnknownValue: (r) => reports.push(r) }).listJobs();
    expect(job).toMatchObject({ jobId: JOB, state: "RESCALING", endTime: null, tasks: { total: 2 } });
    expect(reports).toEqual([{ enumName: "flink.JobStatus", value: "RESCALING", url: `${server.url}/clusters/s1/v1/jobs/overview` }]);
  });

  it("reads job detail with vertices and plan", async () => {
    flink("1.20.0", {
      [`GET /jobs/${JOB}`]: {
        jid: JOB, name: "orders", isStoppable: false, state: "RUNNING", "job-type": "STREAMING", "start-time": 10, "end-time": -1,
        duration: 3, now: 13, timestamps: { RUNNING: 11, FAILED: 0 },
        vertices: [{ id: "v1", name: "Source", parallelism: 2, maxParallelism: 128, status: "RUNNING", "start-time": 10, "end-time": -1, duration: 3, tasks: { RUNNING: 2 }, metrics: {} }],
        "status-counts": { RUNNING: 1 },
        plan: { jid: JOB, name: "orders", type: "STREAMING", nodes: [{ id: "v1", parallelism: 2, operator: "", description: "Source" }] },
      },
    });
    const job = await client().getJob(JOB);
    expect(job.vertices[0]).toMatchObject({ id: "v1", status: "RUNNING", endTime: null });
    expect(job.plan?.nodes?.[0]).toMatchObject({ id: "v1", description: "Source" });
    expect(job.jobType).toBe("STREAMING");
  });

  it("normalises exceptions from 1.x (location) and 2.x (endpoint)", async () => {
    flink("1.17.2", {
      [`GET /jobs/${JOB}/exceptions`]: {
        "root-exception": "x", // deprecated top-level field, ignored
        exceptionHistory: { entries: [{ exceptionName: "java.lang.RuntimeException", stacktrace: "boom", timestamp: 5, location: "tm1:1234", concurrentExceptions: [] }], truncated: false },
      },
    });
    const ex = await client().getJobExceptions(JOB, { maxExceptions: 3 });
    expect(ex.entries[0]).toMatchObject({ endpoint: "tm1:1234", stacktrace: "boom", failureLabels: {} });
    expect(server.requests[0]?.url).toBe(`/clusters/s1/v1/jobs/${JOB}/exceptions?maxExceptions=3`);
  });

  it("returns null checkpoints when checkpointing is disabled, but throws for an unknown job", async () => {
    flink("1.18.1", {
      [`GET /jobs/${JOB}/checkpoints`]: [404, { errors: ["org.apache.flink.runtime.rest.NotFoundException: Checkpointing has not been enabled.\n\tat x"] }],
    });
    await expect(client().getJobCheckpoints(JOB)).resolves.toBeNull();
    flink("1.18.1", {});
    await expect(client().getJobCheckpoints(JOB)).rejects.toMatchObject({ failure: "not-found" });
  });

  it("reads checkpoint statistics with null latest entries", async () => {
    flink("1.18.1", {
      [`GET /jobs/${JOB}/checkpoints`]: {
        counts: { restored: 0, total: 1, in_progress: 0, completed: 1, failed: 0 },
        summary: {},
        latest: { completed: { className: "completed", id: 7, status: "COMPLETED", is_savepoint: false, external_path: "hdfs:///cp/chk-7" }, savepoint: null, failed: null, restored: null },
        history: [],
      },
    });
    const stats = await client().getJobCheckpoints(JOB);
    expect(stats?.latestCompleted).toMatchObject({ id: 7, externalPath: "hdfs:///cp/chk-7" });
    expect(stats?.latestSavepoint).toBeNull();
  });
});

describe("FlinkClient jars and runs", () => {
  it("uploads a jar as multipart and derives the jar id", async () => {
    flink("1.18.1", { "POST /jars/upload": { status: "success", filename: "/tmp/flink-web-1/flink-web-upload/abc_job.jar" } });
    const up = await client().uploadJar({ fileName: "job.jar", content: new Blob([new Uint8Array([80, 75, 3, 4])]) });
    expect(up.jarId).toBe("abc_job.jar");
    const req = server.requests[0];
    expect(req?.headers["content-type"]).toMatch(/^multipart\/form-data/);
    expect(req?.text).toContain('filename="job.jar"');
    expect(req?.text).toContain("application/x-java-archive");
  });

  it("lists and deletes jars", async () => {
    flink("1.18.1", {
      "GET /jars": { address: "http://jm:8081", files: [{ id: "abc_job.jar", name: "job.jar", uploaded: 1, entry: [{ name: "com.acme.Main", description: null }] }] },
      "DELETE /jars/abc_job.jar": {},
    });
    await expect(client().listJars()).resolves.toEqual([{ jarId: "abc_job.jar", name: "job.jar", uploadedAt: 1, entryClasses: ["com.acme.Main"] }]);
    await client().deleteJar("abc_job.jar");
    expect(server.requests.map((r) => r.method)).toEqual(["GET", "DELETE"]);
  });

  const run = { entryClass: "com.acme.Main", args: ["--date", "2026-11-21"], parallelism: 4, jobId: JOB, savepointPath: "hdfs:///sp/1", allowNonRestoredState: true, restoreMode: "CLAIM" as const };

  it("speaks restoreMode to 1.15–1.19 and claimMode to 1.20+ / 2.x, always programArgsList", async () => {
    flink("1.18.1", { "POST /jars/abc.jar/run": { jobid: JOB } });
    await expect(client().runJar("abc.jar", run)).resolves.toEqual({ jobId: JOB, applicationId: undefined });
    expect(lastBody("/run")).toEqual({
      entryClass: "com.acme.Main", programArgsList: ["--date", "2026-11-21"], parallelism: 4, jobId: JOB,
      savepointPath: "hdfs:///sp/1", allowNonRestoredState: true, restoreMode: "CLAIM",
    });
    server.requests.length = 0;
    flink("2.1.0", { "POST /jars/abc.jar/run": { jobid: JOB } });
    await client().runJar("abc.jar", { ...run, flinkConfiguration: { "pipeline.name": "x" } });
    const body = lastBody("/run");
    expect(body.claimMode).toBe("CLAIM");
    expect(body).not.toHaveProperty("restoreMode");
    expect(body).not.toHaveProperty("programArgs");
    expect(body.flinkConfiguration).toEqual({ "pipeline.name": "x" });
  });

  it("learns the version once and refuses fields the version lacks before sending", async () => {
    flink("1.16.3", { "POST /jars/abc.jar/run": { jobid: JOB } });
    const c = client();
    await expect(c.runJar("abc.jar", { flinkConfiguration: { a: "b" } })).rejects.toBeInstanceOf(UnsupportedUpstreamOperationError);
    await c.runJar("abc.jar", { restoreMode: "NO_CLAIM" });
    expect(server.requests.filter((r) => r.url.endsWith("/config"))).toHaveLength(1);
    expect(server.requests.filter((r) => r.url.endsWith("/run"))).toHaveLength(1);
  });

  it("never retries a jar run", async () => {
    flink("1.18.1", { "POST /jars/abc.jar/run": [503, { errors: ["leader not elected"] }] });
    await expect(client({ flinkVersion: "1.18.1" }).runJar("abc.jar", {})).rejects.toMatchObject({ failure: "server-error" });
    expect(server.requests.filter((r) => r.url.endsWith("/run"))).toHaveLength(1);
  });

  it("surfaces the short first line of a failed main()", async () => {
    flink("1.18.1", {
      "POST /jars/abc.jar/run": [400, { errors: ["org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\n\tat a.b(C.java:1)\nCaused by: x"] }],
    });
    const err = await client({ flinkVersion: "1.18.1" }).runJar("abc.jar", {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ failure: "rejected", upstreamStatus: 400, upstreamMessage: "Could not execute application." });
  });
});

describe("FlinkClient cancel and savepoints", () => {
  it("cancels with PATCH ?mode=cancel and turns 409 into rejected", async () => {
    flink("1.18.1", { [`PATCH /jobs/${JOB}`]: [202, {}] });
    await client().cancelJob(JOB);
    expect(server.requests[0]).toMatchObject({ method: "PATCH", url: `/clusters/s1/v1/jobs/${JOB}?mode=cancel` });
    flink("1.18.1", { [`PATCH /jobs/${JOB}`]: [409, { errors: ["Job cancellation failed because the job has already reached another terminal state (FINISHED)."] }] });
    await expect(client().cancelJob(JOB)).rejects.toMatchObject({ failure: "rejected", upstreamStatus: 409 });
  });

  it("uses kebab-case for savepoints and camelCase for stop", async () => {
    flink("1.18.1", {
      [`POST /jobs/${JOB}/savepoints`]: [202, { "request-id": TRIGGER }],
      [`POST /jobs/${JOB}/stop`]: [202, { "request-id": TRIGGER }],
    });
    const c = client();
    await expect(c.triggerSavepoint(JOB, { targetDirectory: "hdfs:///sp", cancelJob: false, triggerId: TRIGGER })).resolves.toBe(TRIGGER);
    expect(lastBody("/savepoints")).toEqual({ "target-directory": "hdfs:///sp", "cancel-job": false, triggerId: TRIGGER });
    await expect(c.stopWithSavepoint(JOB, { targetDirectory: "hdfs:///sp", drain: true, formatType: "NATIVE" })).resolves.toBe(TRIGGER);
    expect(lastBody("/stop")).toEqual({ targetDirectory: "hdfs:///sp", drain: true, formatType: "NATIVE" });
  });

  it("reads COMPLETED with a failure-cause as FAILED, and waits through IN_PROGRESS", async () => {
    const statuses = [
      { status: { id: "IN_PROGRESS" } },
      { status: { id: "IN_PROGRESS" }, operation: null },
      {
        status: { id: "COMPLETED" },
        operation: { "failure-cause": { class: "java.util.concurrent.CompletionException", "stack-trace": "java.util.concurrent.CompletionException: java.lang.IllegalStateException: disk full\n\tat x", "serialized-throwable": "rO0=" } },
      },
    ];
    server.handle = (_, res) => sendJson(res, 200, statuses.shift());
    const slept: number[] = [];
    const result = await client().awaitSavepoint(JOB, TRIGGER, { pollIntervalMs: 7, sleep: async (ms) => void slept.push(ms) });
    expect(result).toEqual({
      state: "FAILED",
      failureCause: {
        className: "java.util.concurrent.CompletionException",
        message: "java.lang.IllegalStateException: disk full",
        stackTrace: expect.stringContaining("disk full"),
      },
    });
    expect(slept).toEqual([7, 7]);
    expect(server.requests[0]?.url).toBe(`/clusters/s1/v1/jobs/${JOB}/savepoints/${TRIGGER}`);
  });

  it("reads a location as SUCCEEDED", async () => {
    server.handle = (_, res) => sendJson(res, 200, { status: { id: "COMPLETED" }, operation: { location: "hdfs:///sp/savepoint-1" } });
    await expect(client().getSavepointStatus(JOB, TRIGGER)).resolves.toEqual({ state: "SUCCEEDED", location: "hdfs:///sp/savepoint-1" });
  });
});

describe("FlinkClient endpoint kinds", () => {
  it("refuses writes through the RM proxy without sending, but cancels with GET yarn-cancel", async () => {
    flink("1.18.1", { [`GET /jobs/${JOB}/yarn-cancel`]: [202, {}] });
    const proxy = client({ kind: "yarn-proxy", baseUrl: `${server.url}/proxy/application_1_0001` });
    for (const write of [
      () => proxy.runJar("abc.jar", {}),
      () => proxy.triggerSavepoint(JOB),
      () => proxy.stopWithSavepoint(JOB),
      () => proxy.uploadJar({ fileName: "a.jar", content: new Blob([]) }),
      () => proxy.deleteJar("a.jar"),
    ]) {
      await expect(write()).rejects.toBeInstanceOf(UnsupportedUpstreamOperationError);
    }
    expect(server.requests).toHaveLength(0);
    await proxy.cancelJob(JOB);
    expect(server.requests[0]).toMatchObject({ method: "GET", url: `/proxy/application_1_0001/v1/jobs/${JOB}/yarn-cancel` });
  });

  it("does not retry yarn-cancel even though it is a GET", async () => {
    flink("1.18.1", { [`GET /jobs/${JOB}/yarn-cancel`]: [503, { errors: ["x"] }] });
    await expect(client({ kind: "yarn-proxy" }).cancelJob(JOB)).rejects.toMatchObject({ failure: "server-error" });
    expect(server.requests).toHaveLength(1);
  });

  it("talks to the History Server without /v1 and refuses non-archived endpoints", async () => {
    flink("1.18.1", { [`GET /jobs/${JOB}`]: { jid: JOB, name: "orders", state: "FINISHED", "end-time": 20, vertices: [] } });
    const hs = client({ kind: "history-server", baseUrl: server.url });
    await expect(hs.getJob(JOB)).resolves.toMatchObject({ state: "FINISHED", endTime: 20 });
    expect(server.requests[0]?.url).toBe(`/jobs/${JOB}`);
    await expect(hs.getOverview()).rejects.toBeInstanceOf(UnsupportedUpstreamOperationError);
    await expect(hs.getJobStatus(JOB)).rejects.toBeInstanceOf(UnsupportedUpstreamOperationError);
    await expect(hs.cancelJob(JOB)).rejects.toMatchObject({ upstream: "history-server" });
    expect(server.requests).toHaveLength(1);
  });
});
