import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "./clock.ts";
import { startEmulator, type Emulator } from "./emulator.ts";
import { OpenApiValidator } from "./openapi-validator.ts";
import { getJson, hexId, runJar, uploadJar } from "./test-helpers.ts";

const spec = new OpenApiValidator(fileURLToPath(new URL("../test/reference/flink/rest_v1_dispatcher.yml", import.meta.url)));

/**
 * Exemptions, each for a documented reason (flink/NOTES.md):
 * - execution-result: written by JobResultSerializer, not as the generated JobResult schema says.
 * - SerializedThrowable: Jackson also writes `class` and `stack-trace`; the schema lists only `serialized-throwable`.
 * - 1.x only: the deprecated top-level /exceptions fields (removed in 2.0) and `location` (before 1.19's `endpoint`)
 *   are absent from the 2.3-SNAPSHOT schema.
 */
const EXEMPT = ["$.job-execution-result", "$.operation.failure-cause.class", "$.operation.failure-cause.stack-trace"];
const EXEMPT_1X = ["$.root-exception", "$.timestamp", "$.all-exceptions", "$.truncated", "$.exceptionHistory.entries[*].location"];

describe.each(["1.18.1", "2.1.0"])("Flink %s responses conform to rest_v1_dispatcher.yml", (version) => {
  const clock = new ManualClock();
  let emulator: Emulator;
  let base: string;
  let checked = 0;
  const exempt = version.startsWith("1.") ? [...EXEMPT, ...EXEMPT_1X] : EXEMPT;

  async function conforms(method: string, path: string, specPath: string, status = "200", init?: RequestInit): Promise<any> {
    const res = await getJson(`${base}${path}`, { method, ...init });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(Number(status));
    const errors = spec.validate(res.body, spec.responseSchema(specPath, method, status), { strict: true, exempt });
    expect(errors, `${method} ${path}`).toEqual([]);
    checked++;
    return res.body;
  }

  beforeAll(async () => {
    emulator = await startEmulator({
      clock,
      sessionClusters: [{ name: "c", flinkVersion: version, savepointDir: "file:///savepoints" }],
      historyServer: { lagMs: 0 },
      rules: [{ match: { args: ["--savepoint-fails"] }, script: { savepointFailure: "java.io.IOException: disk full" } }],
    });
    base = emulator.sessionClusterUrl("c");
  });
  afterAll(() => emulator.stop());

  it("every implemented endpoint, in every job state", async () => {
    const jar = await uploadJar(base);
    await conforms("GET", "/jars", "/jars");
    const jobs = {
      streaming: hexId(1), batch: hexId(2), failing: hexId(3), cancelled: hexId(4), stopped: hexId(5), noSavepoint: hexId(6),
    };
    await runJar(base, jar, { entryClass: "com.acme.Stream", jobId: jobs.streaming, programArgsList: ["--emulator.restartAtMs=500,900"] });
    await runJar(base, jar, { entryClass: "com.acme.BatchJob", jobId: jobs.batch });
    await runJar(base, jar, { entryClass: "com.acme.FailingJob", jobId: jobs.failing });
    await runJar(base, jar, { entryClass: "com.acme.Stream", jobId: jobs.cancelled });
    await runJar(base, jar, { entryClass: "com.acme.Stream", jobId: jobs.stopped });
    const run = await runJar(base, jar, { entryClass: "com.acme.Stream", jobId: jobs.noSavepoint, programArgsList: ["--savepoint-fails"] });
    expect(spec.validate(run.body, spec.responseSchema("/jars/{jarid}/run", "post", "200"), { strict: true })).toEqual([]);
    await emulator.control.advance(20_000);

    await conforms("GET", "/config", "/config");
    await conforms("GET", "/v1/overview", "/overview");
    await conforms("GET", "/jobs", "/jobs");
    await conforms("GET", "/jobs/overview", "/jobs/overview");
    await conforms("PATCH", `/jobs/${jobs.cancelled}?mode=cancel`, "/jobs/{jobid}", "202");

    const sp = await conforms("POST", `/jobs/${jobs.streaming}/savepoints`, "/jobs/{jobid}/savepoints", "202", { body: "{}" });
    await conforms("GET", `/jobs/${jobs.streaming}/savepoints/${sp["request-id"]}`, "/jobs/{jobid}/savepoints/{triggerid}");
    const bad = await conforms("POST", `/jobs/${jobs.noSavepoint}/savepoints`, "/jobs/{jobid}/savepoints", "202", { body: JSON.stringify({ "target-directory": "/sp" }) });
    const stop = await conforms("POST", `/jobs/${jobs.stopped}/stop`, "/jobs/{jobid}/stop", "202", { body: JSON.stringify({ targetDirectory: "/sp" }) });
    await emulator.control.advance(1_000);
    const done = await conforms("GET", `/jobs/${jobs.streaming}/savepoints/${sp["request-id"]}`, "/jobs/{jobid}/savepoints/{triggerid}");
    expect(done.operation.location).toMatch(/^file:\/\/\/savepoints\/savepoint-/);
    const failed = await conforms("GET", `/jobs/${jobs.noSavepoint}/savepoints/${bad["request-id"]}`, "/jobs/{jobid}/savepoints/{triggerid}");
    expect(failed).toMatchObject({ status: { id: "COMPLETED" }, operation: { "failure-cause": { class: "org.apache.flink.runtime.checkpoint.CheckpointException" } } });
    await conforms("GET", `/jobs/${jobs.stopped}/savepoints/${stop["request-id"]}`, "/jobs/{jobid}/savepoints/{triggerid}");

    for (const id of Object.values(jobs)) {
      await conforms("GET", `/jobs/${id}`, "/jobs/{jobid}");
      await conforms("GET", `/jobs/${id}/status`, "/jobs/{jobid}/status");
      await conforms("GET", `/jobs/${id}/exceptions`, "/jobs/{jobid}/exceptions");
      await conforms("GET", `/jobs/${id}/plan`, "/jobs/{jobid}/plan");
      await conforms("GET", `/jobs/${id}/execution-result`, "/jobs/{jobid}/execution-result");
      const details = (await getJson(`${base}/jobs/${id}`)).body;
      if (details.state !== "FAILED" && id !== jobs.batch) await conforms("GET", `/jobs/${id}/checkpoints`, "/jobs/{jobid}/checkpoints");
    }
    const streaming = (await getJson(`${base}/jobs/${jobs.streaming}/exceptions`)).body;
    expect(streaming.exceptionHistory.entries).toHaveLength(2);

    // The History Server serves the same serializers' output.
    for (const id of [jobs.batch, jobs.failing, jobs.cancelled, jobs.stopped]) {
      const res = await getJson(`${emulator.historyServerUrl}/jobs/${id}`);
      expect(spec.validate(res.body, spec.responseSchema("/jobs/{jobid}", "get", "200"), { strict: true, exempt })).toEqual([]);
      const ex = await getJson(`${emulator.historyServerUrl}/jobs/${id}/exceptions`);
      expect(spec.validate(ex.body, spec.responseSchema("/jobs/{jobid}/exceptions", "get", "200"), { strict: true, exempt })).toEqual([]);
    }
    const hsOverview = await getJson(`${emulator.historyServerUrl}/jobs/overview`);
    expect(spec.validate(hsOverview.body, spec.responseSchema("/jobs/overview", "get", "200"), { strict: true })).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });

  it("the upload response conforms", async () => {
    const form = new FormData();
    form.append("jarfile", new File([new Uint8Array([1])], "x.jar"));
    const res = await getJson(`${base}/jars/upload`, { method: "POST", body: form });
    expect(spec.validate(res.body, spec.responseSchema("/jars/upload", "post", "200"), { strict: true })).toEqual([]);
  });
});
