import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpstreamError } from "../domain/errors.ts";
import { sendText, startTestServer } from "../upstream/test-server.ts";
import type { TestServer } from "../upstream/test-server.ts";
import { InMemoryJarCache } from "./jar-cache.ts";
import { createLaunchClients } from "./launch-clients.ts";
import type { LaunchClients } from "./launch-clients.ts";
import { makeRun, startLaunchEmulator } from "./launch-test-support.ts";
import type { LaunchEmulator } from "./launch-test-support.ts";
import { createSessionLauncher } from "./session-launcher.ts";

let env: LaunchEmulator;
let clients: LaunchClients;
let jarServer: TestServer;

beforeAll(async () => {
  env = await startLaunchEmulator();
  clients = createLaunchClients({ http: { retry: { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 1 } } });
  jarServer = await startTestServer((req, res) => (req.url === "/orders.jar" ? sendText(res, 200, "PK jar over http") : sendText(res, 404, "no")));
});
afterAll(async () => {
  await clients.close();
  await jarServer.close();
  await env.emu.stop();
});

function uploads(): number {
  const routes = env.emu.control.counters()["session:default"]?.byRoute ?? {};
  return Object.entries(routes).filter(([r]) => r.endsWith("/jars/upload")).reduce((n, [, c]) => n + c, 0);
}

describe("session launcher", () => {
  it("submits batch and streaming jobs under the pre-assigned job id", async () => {
    const launcher = createSessionLauncher({ clients, jarCache: new InMemoryJarCache() });
    const batch = makeRun("session", { artifact: { kind: "uri", uri: env.jarUri }, entryClass: "com.acme.NightlyBatch", args: ["--day", "2026-01-01"], parallelism: 2 });
    const streaming = makeRun("session", { artifact: { kind: "uri", uri: env.jarUri }, entryClass: "com.acme.Orders", flinkConfig: { "pipeline.name": "orders-stream" } });
    for (const run of [batch, streaming]) {
      const input = { run, target: env.session, artifactPath: null };
      expect(await launcher.reserve(input)).toEqual({});
      const sub = await launcher.submit(input);
      expect(sub.flinkJobId).toBe(run.flinkJobId);
      expect(sub.jarId).toMatch(/_orders\.jar$/);
    }
    expect(env.emu.control.job(batch.flinkJobId)).toMatchObject({ cluster: "default", entryClass: "com.acme.NightlyBatch", args: ["--day", "2026-01-01"] });
    expect(env.emu.control.job(streaming.flinkJobId)).toMatchObject({ name: "orders-stream", state: "RUNNING" });
    await env.emu.control.advance(1_500);
    expect(env.emu.control.job(batch.flinkJobId)?.state).toBe("FINISHED");
  });

  it("uploads an artifact once per cluster and again, transparently, after the cluster forgot it", async () => {
    const cache = new InMemoryJarCache();
    const launcher = createSessionLauncher({ clients, jarCache: cache });
    const stored = { kind: "stored" as const, id: "art_1", sha256: "a".repeat(64), fileName: "orders.jar", sizeBytes: 10 };
    const before = uploads();
    const first = await launcher.submit({ run: makeRun("session", { artifact: stored }), target: env.session, artifactPath: env.jarPath });
    const second = await launcher.submit({ run: makeRun("session", { artifact: stored }), target: env.session, artifactPath: env.jarPath });
    expect(second.jarId).toBe(first.jarId);
    expect(uploads() - before).toBe(1);

    // The JobManager lost its upload dir (restart): Flink answers 400 "Jar file … does not exist".
    await clients.session(env.session).deleteJar(first.jarId!);
    const run = makeRun("session", { artifact: stored });
    const third = await launcher.submit({ run, target: env.session, artifactPath: env.jarPath });
    expect(third.jarId).not.toBe(first.jarId);
    expect(await cache.get("s1", stored.sha256)).toBe(third.jarId);
    expect(uploads() - before).toBe(2);
    expect(env.emu.control.job(run.flinkJobId)?.state).toBe("RUNNING");
  });

  it("fetches an https/http artifact and refuses an hdfs:// one with a stable problem type", async () => {
    const launcher = createSessionLauncher({ clients, jarCache: new InMemoryJarCache() });
    const run = makeRun("session", { artifact: { kind: "uri", uri: `${jarServer.url}/orders.jar` } });
    await launcher.submit({ run, target: env.session, artifactPath: null });
    expect(jarServer.requests.map((r) => r.url)).toContain("/orders.jar");

    const hdfs = launcher.submit({ run: makeRun("session", { artifact: { kind: "uri", uri: "hdfs:///jobs/orders.jar" } }), target: env.session, artifactPath: null });
    await expect(hdfs).rejects.toMatchObject({ status: 422, type: "artifact-unusable-for-target" });
    const missing = launcher.submit({ run: makeRun("session", { artifact: { kind: "uri", uri: `${jarServer.url}/gone.jar` } }), target: env.session, artifactPath: null });
    await expect(missing).rejects.toMatchObject({ status: 422, type: "artifact-unreadable" });
  });

  it("reports a program the cluster rejects as a `rejected` UpstreamError with Flink's message", async () => {
    const launcher = createSessionLauncher({ clients, jarCache: new InMemoryJarCache() });
    const run = makeRun("session", { artifact: { kind: "uri", uri: env.jarUri }, args: ["--emulator.kind=sideways"] });
    const err = await launcher.submit({ run, target: env.session, artifactPath: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ failure: "rejected", upstreamStatus: 400, upstreamMessage: expect.stringContaining("Could not execute application") });
    expect((err as UpstreamError).upstreamDetail).toContain("--emulator.kind must be batch|streaming");
    expect(env.emu.control.job(run.flinkJobId)).toBeUndefined();
  });

  it("sends the run's Flink config to 1.17+ clusters and refuses it, before running anything, on older ones", async () => {
    const launcher = createSessionLauncher({ clients, jarCache: new InMemoryJarCache() });
    const config = { "pipeline.name": "with-config" };
    const run = makeRun("session", { artifact: { kind: "uri", uri: env.jarUri }, flinkConfig: config });
    await launcher.submit({ run, target: env.session, artifactPath: null });
    expect(env.emu.control.job(run.flinkJobId)?.name).toBe("with-config");

    const oldUrl = env.emu.control.addSessionCluster("old", "1.16.3");
    const old = { ...env.session, name: "old", restUrl: oldUrl };
    const refused = makeRun("session", { artifact: { kind: "uri", uri: env.jarUri }, flinkConfig: config });
    await expect(launcher.submit({ run: refused, target: old, artifactPath: null })).rejects.toMatchObject({
      status: 409,
      type: "upstream-operation-unsupported",
      message: expect.stringContaining("added in 1.17"),
    });
    expect(env.emu.control.job(refused.flinkJobId)).toBeUndefined();
  });

  it("find(): found with the Flink state, not found on 404, throws on a transport fault", async () => {
    const launcher = createSessionLauncher({ clients, jarCache: new InMemoryJarCache() });
    const run = makeRun("session", { artifact: { kind: "uri", uri: env.jarUri } });
    const input = { run, target: env.session, artifactPath: null };
    expect(await launcher.find(input)).toEqual({ found: false });
    await launcher.submit(input);
    expect(await launcher.find(input)).toEqual({ found: true, flinkState: "RUNNING" });

    env.emu.control.setFault("session:default", { reset: true, times: 1 });
    const err = await launcher.find(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).isTransport).toBe(true);
    expect(err).toMatchObject({ failure: "reset", upstream: "flink" });
  });
});
