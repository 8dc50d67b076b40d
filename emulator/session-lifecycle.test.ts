import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "./emulator.ts";
import { eventually, getJson, hexId, postJson, runJar, uploadJar } from "./test-helpers.ts";

describe("session cluster lifecycle over HTTP", () => {
  let emulator: Emulator;
  let base: string;
  let jar: string;

  beforeAll(async () => {
    emulator = await startEmulator({ sessionClusters: ["a", { name: "b", flinkVersion: "2.1.0" }] });
    base = emulator.sessionClusterUrl("a");
    jar = await uploadJar(base);
  });
  afterAll(() => emulator.stop());

  it("runs a batch job with a pre-assigned id through RUNNING to FINISHED", async () => {
    const jobId = hexId(0xa1);
    emulator.control.addRule({ match: { entryClass: "com.acme.Orders" }, script: { kind: "batch", runMs: 300 } });
    const run = await runJar(base, jar, { entryClass: "com.acme.Orders", jobId });
    expect(run).toMatchObject({ status: 200, body: { jobid: jobId } });
    expect((await getJson(`${base}/jobs/${jobId}`)).body.state).toBe("RUNNING");
    await eventually(async () => ((await getJson(`${base}/v1/jobs/${jobId}`)).body.state === "FINISHED" ? true : undefined));
    const result = (await getJson(`${base}/jobs/${jobId}/execution-result`)).body;
    expect(result["job-execution-result"]["application-status"]).toBe("SUCCEEDED");
    expect((await getJson(`${base}/jobs/overview`)).body.jobs.map((j: { jid: string }) => j.jid)).toContain(jobId);
  });

  it("answers Flink's errors: duplicate job id, unknown jar, unknown job, cancel conflicts", async () => {
    const jobId = hexId(0xa2);
    await runJar(base, jar, { entryClass: "com.acme.Stream", jobId });
    const dup = await runJar(base, jar, { entryClass: "com.acme.Stream", jobId });
    expect(dup.status).toBe(400);
    expect(dup.body.errors[0]).toContain("DuplicateJobSubmissionException: Job has already been submitted.");
    expect(dup.body.errors[0]).toContain("\n\tat org.apache.flink");
    const unknownJar = await runJar(base, "nope.jar", { entryClass: "x" });
    expect(unknownJar.status).toBe(400);
    expect(unknownJar.body.errors[0]).toMatch(/Jar file .*nope\.jar does not exist/);
    const missing = await getJson(`${base}/jobs/${hexId(0xdead)}`);
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0]).toContain(`Job ${hexId(0xdead)} not found`);

    expect((await postJson(`${base}/jobs/${jobId}?mode=cancel`, {}, "PATCH")).status).toBe(202);
    expect((await getJson(`${base}/jobs/${jobId}`)).body.state).toBe("CANCELED");
    expect((await postJson(`${base}/jobs/${jobId}`, {}, "PATCH")).status).toBe(202);
    const batch = hexId(0xa3);
    await runJar(base, jar, { entryClass: "com.acme.BatchJob", jobId: batch, programArgsList: ["--emulator.runMs=0"] });
    const conflict = await postJson(`${base}/jobs/${batch}`, {}, "PATCH");
    expect(conflict.status).toBe(409);
    expect(conflict.body.errors[0]).toContain("already reached another terminal state (FINISHED)");
  });

  it("restarts on demand, stops with a savepoint, and keeps /jars per cluster", async () => {
    const jobId = hexId(0xa4);
    await runJar(base, jar, { entryClass: "com.acme.Stream", jobId });
    emulator.control.restartJob(jobId, "java.io.IOException: broken pipe");
    const details = (await getJson(`${base}/jobs/${jobId}`)).body;
    expect(details.state).toBe("RESTARTING");
    const ex = (await getJson(`${base}/jobs/${jobId}/exceptions`)).body;
    expect(ex.exceptionHistory.entries[0].exceptionName).toBe("java.io.IOException");
    // Savepoints need all tasks running: wait out the restart delay first.
    await eventually(async () => ((await getJson(`${base}/jobs/${jobId}`)).body.state === "RUNNING" ? true : undefined));
    const stop = await postJson(`${base}/jobs/${jobId}/stop`, { targetDirectory: "hdfs:///sp" });
    expect(stop.status).toBe(202);
    const status = await eventually(async () => {
      const s = (await getJson(`${base}/jobs/${jobId}/savepoints/${stop.body["request-id"]}`)).body;
      return s.status.id === "COMPLETED" ? s : undefined;
    });
    expect(status.operation.location).toMatch(/^hdfs:\/\/\/sp\/savepoint-/);
    expect((await getJson(`${base}/jobs/${jobId}`)).body.state).toBe("FINISHED");
    const noDir = await postJson(`${base}/jobs/${jobId}/savepoints`, {});
    expect(noDir.body.errors[0]).toContain("Config key [state.savepoints.dir] is not set.");
    expect((await getJson(`${emulator.sessionClusterUrl("b")}/jars`)).body.files).toEqual([]);
    expect((await getJson(`${emulator.sessionClusterUrl("b")}/config`)).body["flink-version"]).toBe("2.1.0");
  });
});
