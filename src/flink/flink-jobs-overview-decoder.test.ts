import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FlinkCluster } from "../../emulator/flink-cluster.ts";
import { jobOverviewEntry } from "../../emulator/flink-json.ts";
import { FlinkJob } from "../../emulator/flink-job.ts";
import { DEFAULT_SCRIPT } from "../../emulator/job-script.ts";
import type { JobScript } from "../../emulator/job-script.ts";
import { decodeBothWays } from "../upstream/decode-both-ways.ts";
import { sendJson, startTestServer } from "../upstream/test-server.ts";
import type { TestServer } from "../upstream/test-server.ts";
import { FlinkClient } from "./flink-client.ts";
import { jobDetailsSchema, jobsOverviewSchema } from "./flink-job-schemas.ts";
import { decodeJobsOverview } from "./flink-jobs-overview-decoder.ts";

/** The client's answer is the same either way; `fast` says whether the fast decoder gave it. */
function expectAgreement(json: unknown, fast: boolean, text = JSON.stringify(json)) {
  const { viaFast, viaSchema, fastAnswered } = decodeBothWays(jobsOverviewSchema, decodeJobsOverview, text);
  expect(viaFast).toStrictEqual(viaSchema);
  expect(fastAnswered).toBe(fast);
  return viaSchema;
}

/** Every field `jobDetailsSchema` reads, plus what Flink 2.3 adds and the schema drops. */
const full = {
  jid: "0123456789abcdef0123456789abcdef", name: "orders", state: "RUNNING", "start-time": 1_700_000_000_000, "end-time": -1,
  duration: 5_000, "last-modification": 1_700_000_001_000, tasks: { total: 4, running: 4, failed: 0 }, "pending-operators": 0,
  jobType: "STREAMING", schedulerType: "Adaptive",
};
const shape = jobDetailsSchema.shape;
const fieldNames = Object.keys(shape) as (keyof typeof shape)[];
const optional = fieldNames.filter((k) => shape[k].safeParse(undefined).success);
const without = (key: string) => Object.fromEntries(Object.entries(full).filter(([k]) => k !== key));

function emulatorOverview(version: string, now: number) {
  const cluster = new FlinkCluster({
    name: "s1", kind: "session", flinkVersion: version, taskManagers: 1, slotsPerTaskManager: 4,
    jobStoreExpirationMs: 3_600_000, savepointDir: null, archive: false,
  });
  const scripts: Partial<JobScript>[] = [
    {},
    { initializingMs: 5_000 },
    { initializingMs: 100, createdMs: 5_000 },
    { kind: "batch", runMs: 200 },
    { kind: "batch", runMs: 200, outcome: "FAILED" },
    { restartAtMs: [50], restartDelayMs: 10_000 },
  ];
  scripts.forEach((script, i) => {
    const job = new FlinkJob({
      id: `${i}`.padStart(32, "0"), name: `job ${i}`, script: { ...DEFAULT_SCRIPT, ...script }, submittedAt: 1_000,
      entryClass: null, args: [], parallelism: 2, config: {},
    });
    if (i === 0) job.cancel(1_300);
    cluster.jobs.set(job.id, job);
  });
  return { jobs: cluster.visibleJobs(now).map((job) => jobOverviewEntry(cluster, job, now)) };
}

describe("decodeJobsOverview", () => {
  it("gives what the schema gives on the emulator's answers, every version and job state", () => {
    const states = new Set<unknown>();
    for (const version of ["1.17.2", "1.20.1", "2.0.0"]) {
      for (const now of [1_000, 1_200, 1_500, 20_000]) {
        const { value } = expectAgreement(emulatorOverview(version, now), true);
        for (const job of value as { state: string }[]) states.add(job.state);
      }
    }
    expect([...states].sort()).toEqual(["CANCELED", "CREATED", "FAILED", "FINISHED", "INITIALIZING", "RESTARTING", "RUNNING"]);
  });

  it("keeps the counts object the schema keeps, and maps end-time", () => {
    const [job] = decodeJobsOverview(JSON.parse(JSON.stringify({ jobs: [full, { ...full, "end-time": 9 }] }))) ?? [];
    expect(job).toStrictEqual({
      jobId: full.jid, name: "orders", state: "RUNNING", startTime: full["start-time"], endTime: null, durationMs: 5_000,
      lastModification: full["last-modification"], tasks: full.tasks,
    });
    expect(expectAgreement({ jobs: [{ ...full, "end-time": 9 }] }, true).value).toMatchObject([{ endTime: 9 }]);
  });

  it("drops the fields the schema does not read", () => {
    expect(expectAgreement({ jobs: [full] }, true).value).not.toHaveProperty("0.jobType");
  });

  it.each(optional)("accepts %s absent, as the schema does", (key) => {
    expectAgreement({ jobs: [without(key)] }, true);
  });

  it.each(fieldNames.filter((k) => !optional.includes(k)))("leaves a missing %s to the schema", (key) => {
    expect(expectAgreement({ jobs: [full, without(key)] }, false).error?.message).toContain(`jobs.1.${key}`);
  });

  it.each(fieldNames)("leaves null or an array in %s to the schema's error", (key) => {
    for (const wrong of [null, []]) {
      expect(expectAgreement({ jobs: [full, { ...full, [key]: wrong }] }, false).error?.message).toContain(`jobs.1.${key}`);
    }
  });

  it.each([
    ["a string number", { "start-time": "1" }],
    ["a number as name", { name: 7 }],
    ["a state that is not a string", { state: 3 }],
    ["a count that is not a number", { tasks: { total: "4" } }],
    ["a count map that is null", { tasks: null }],
    ["pending operators as a string", { "pending-operators": "0" }],
  ])("leaves %s to the schema's error", (_, change) => {
    expect(expectAgreement({ jobs: [{ ...full, ...change }] }, false).error?.failure).toBe("bad-response");
  });

  it("leaves a number too large for a double (Infinity once parsed) to the schema's error", () => {
    const text = JSON.stringify({ jobs: [full] }).replace('"duration":5000', '"duration":1e400');
    expect(expectAgreement(undefined, false, text).error?.message).toContain("jobs.0.duration");
  });

  it("leaves an unknown state to the schema, which keeps it and reports it once", () => {
    const { value, reports } = expectAgreement({ jobs: [full, { ...full, state: "RESCALING" }] }, false);
    expect(value).toMatchObject([{ state: "RUNNING" }, { state: "RESCALING" }]);
    expect(reports).toEqual([{ enumName: "flink.JobStatus", value: "RESCALING", url: expect.any(String) }]);
  });

  it.each([[{}], [{ jobs: null }], [{ jobs: [] }]])("reads %j as no jobs", (body) => {
    expect(expectAgreement(body, true).value).toEqual([]);
  });

  it.each([[[]], [null], ["jobs"], [{ jobs: {} }], [{ jobs: [null] }], [{ jobs: "x" }]])("leaves %j to the schema's error", (body) => {
    expect(expectAgreement(body, false).error?.failure).toBe("bad-response");
  });
});

describe("FlinkClient.listJobs", () => {
  let server: TestServer;
  let client: FlinkClient;
  beforeAll(async () => {
    server = await startTestServer();
    client = new FlinkClient({ baseUrl: server.url, http: { timeoutMs: 500, retry: { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 1 } } });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it("decodes a well-formed overview without the schema and a malformed one with it", async () => {
    const safeParse = vi.spyOn(jobsOverviewSchema, "safeParse");
    try {
      server.handle = (_, res) => sendJson(res, 200, { jobs: [full] });
      await expect(client.listJobs()).resolves.toMatchObject([{ jobId: full.jid }]);
      expect(safeParse).not.toHaveBeenCalled();
      server.handle = (_, res) => sendJson(res, 200, { jobs: [{ ...full, tasks: [1] }] });
      await expect(client.listJobs()).rejects.toMatchObject({ failure: "bad-response", message: expect.stringContaining("jobs.0.tasks") });
      expect(safeParse).toHaveBeenCalledTimes(1);
    } finally {
      safeParse.mockRestore();
    }
  });
});
