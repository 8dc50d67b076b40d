import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../emulator/emulator.ts";
import { processDatabaseEnv, testDatabaseUrl } from "./helpers/database.ts";
import { type GatewayProcess, startGatewayProcess } from "./helpers/process.ts";
import { buildZip } from "./helpers/zip.ts";

/**
 * Several gateway processes on one PostgreSQL database (DESIGN.md
 * "Monitoring"): each target is leased to exactly one replica, which alone
 * reconciles it; a replica that dies loses its targets to the others within
 * one lease period, and one that stops releases them at once.
 */

const ADMIN = "replicas-admin-token-0123456789";
const POLL_MS = 200;
const LEASE_MS = 2_000;
const CLUSTERS = ["a", "b", "c", "d", "e"];
const serverUrl = testDatabaseUrl();

interface TargetBody {
  name: string;
  health: { leaseHolder: string | null; leaseExpiresAt: string | null; consecutiveFailures: number | null };
}

async function call<T>(gateway: GatewayProcess, route: string, init: { method?: string; json?: unknown } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${gateway.url}${route}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${ADMIN}`, ...(init.json === undefined ? {} : { "content-type": "application/json" }) },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Polls `probe` until it returns a value, at most `timeoutMs`. */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!serverUrl)("several gateway replicas on one PostgreSQL database", () => {
  let emulator: Emulator;
  let dataDir: string;
  let cleanupDatabase: (() => Promise<void>) | undefined;
  const replicas = new Map<string, GatewayProcess>();
  /** One streaming run per target. */
  const runs = new Map<string, { id: string; flinkJobId: string }>();

  const live = () => [...replicas.values()].find((r) => r.child.exitCode === null && r.child.signalCode === null) as GatewayProcess;
  const leases = async (via = live()) => {
    const { body } = await call<{ items: TargetBody[] }>(via, "/v1/targets?limit=100");
    return new Map(body.items.map((t) => [t.name, t.health.leaseHolder]));
  };

  beforeAll(async () => {
    emulator = await startEmulator({ sessionClusters: CLUSTERS, historyServer: { lagMs: 0 } });
    dataDir = await mkdtemp(path.join(tmpdir(), "flinkgate-replicas-"));
    const jar = path.join(dataDir, "job.jar");
    await writeFile(jar, buildZip({ "META-INF/MANIFEST.MF": "Manifest-Version: 1.0\n" }));
    const database = await processDatabaseEnv();
    cleanupDatabase = database.cleanup;
    const env = (id: string) => ({
      ...database.env,
      BOOTSTRAP_ADMIN_TOKEN: ADMIN,
      REPLICA_ID: id,
      DATA_DIR: path.join(dataDir, id),
      MONITOR_POLL_INTERVAL: `${POLL_MS}ms`,
      MONITOR_LEASE_DURATION: `${LEASE_MS}ms`,
      UPSTREAM_TIMEOUT: "1s",
    });
    // The first one migrates the schema; the others find it migrated.
    replicas.set("r1", await startGatewayProcess(env("r1")));
    const [r2, r3] = await Promise.all([startGatewayProcess(env("r2")), startGatewayProcess(env("r3"))]);
    replicas.set("r2", r2 as GatewayProcess);
    replicas.set("r3", r3 as GatewayProcess);

    const r1 = replicas.get("r1") as GatewayProcess;
    for (const cluster of CLUSTERS) {
      const created = await call(r1, "/v1/targets", { method: "POST", json: { name: `s-${cluster}`, kind: "session", restUrl: emulator.sessionClusterUrl(cluster), historyServerUrl: emulator.historyServerUrl } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const run = await call<{ id: string; flinkJobId: string }>(r1, "/v1/runs", {
        method: "POST",
        json: { job: { target: `s-${cluster}`, mode: "session", artifact: { uri: `file://${jar}` }, entryClass: "com.acme.StreamingOrders" } },
      });
      expect(run.status, JSON.stringify(run.body)).toBe(201);
      runs.set(`s-${cluster}`, run.body);
    }
  }, 60_000);

  afterAll(async () => {
    for (const replica of replicas.values()) if (replica.child.exitCode === null && replica.child.signalCode === null) replica.child.kill("SIGKILL");
    await Promise.all([...replicas.values()].map((r) => r.exited));
    await emulator?.stop();
    await cleanupDatabase?.();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("leases every target to exactly one replica, which alone reconciles it", async () => {
    const held = await until("a lease on every target", 5_000, async () => {
      const current = await leases();
      return [...current.values()].every((holder) => holder !== null) ? current : undefined;
    });
    expect([...held.keys()].sort()).toEqual(CLUSTERS.map((c) => `s-${c}`));
    for (const holder of held.values()) expect(["r1", "r2", "r3"]).toContain(holder);
    // Every replica sees the same holders.
    for (const replica of replicas.values()) expect(await leases(replica)).toEqual(held);

    await until("every run RUNNING", 10_000, async () => {
      for (const run of runs.values()) if ((await call<{ state: string }>(live(), `/v1/runs/${run.id}`)).body.state !== "RUNNING") return undefined;
      return true;
    });

    // One list call per target per tick, not one per replica: at most one per poll interval (+1 for a tick at each edge).
    emulator.control.resetCounters();
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const elapsed = performance.now() - started;
    const counters = emulator.control.counters();
    const maxTicks = Math.ceil(elapsed / POLL_MS) + 1;
    for (const cluster of CLUSTERS) {
      const routes = Object.entries(counters[`session:${cluster}`]?.byRoute ?? {});
      const overview = routes.filter(([route]) => route.endsWith("/jobs/overview")).reduce((sum, [, n]) => sum + n, 0);
      expect(overview, `session ${cluster}: ${overview} list calls in ${Math.round(elapsed)} ms`).toBeGreaterThanOrEqual(3);
      expect(overview, `session ${cluster}: ${overview} list calls in ${Math.round(elapsed)} ms`).toBeLessThanOrEqual(maxTicks);
    }
  }, 30_000);

  it("gives a killed replica's targets to another within one lease period, and keeps reconciling their runs", async () => {
    const before = await leases();
    const victim = before.get("s-a") as string;
    const orphaned = [...before].filter(([, holder]) => holder === victim).map(([target]) => target);
    const killed = replicas.get(victim) as GatewayProcess;
    killed.child.kill("SIGKILL");
    await killed.exited;
    const killedAt = performance.now();

    const after = await until(`the targets of ${victim} taken over`, LEASE_MS + 3_000, async () => {
      const current = await leases();
      return orphaned.every((t) => current.get(t) !== victim && current.get(t) !== null) ? current : undefined;
    });
    const takeoverMs = performance.now() - killedAt;
    expect(takeoverMs, `taken over after ${Math.round(takeoverMs)} ms`).toBeLessThanOrEqual(LEASE_MS + POLL_MS + 500);
    for (const [target, holder] of after) {
      expect(holder).not.toBe(victim);
      if (!orphaned.includes(target)) expect(holder, `${target} kept its holder`).toBe(before.get(target));
    }

    // Jobs on the orphaned targets end now: the new holder sees it.
    for (const target of orphaned) emulator.control.finishJob((runs.get(target) as { flinkJobId: string }).flinkJobId);
    for (const target of orphaned) {
      const run = runs.get(target) as { id: string };
      const ended = await until(`${target}'s run FINISHED`, 5_000, async () => {
        const { body } = await call<{ state: string; finalStateSource: string | null }>(live(), `/v1/runs/${run.id}`);
        return body.state === "FINISHED" ? body : undefined;
      });
      expect(ended.finalStateSource).toBe("flink");
    }
  }, 30_000);

  it("releases a stopping replica's leases at once (SIGTERM), without waiting for them to expire", async () => {
    const before = await leases();
    const counts = new Map<string, number>();
    for (const holder of before.values()) if (holder) counts.set(holder, (counts.get(holder) ?? 0) + 1);
    const [stopping] = [...counts].sort((x, y) => y[1] - x[1])[0] as [string, number];
    const held = [...before].filter(([, holder]) => holder === stopping).map(([target]) => target);
    const replica = replicas.get(stopping) as GatewayProcess;
    const survivor = [...replicas].find(([id, r]) => id !== stopping && r.child.exitCode === null && r.child.signalCode === null)?.[1] as GatewayProcess;

    const signalledAt = performance.now();
    replica.child.kill("SIGTERM");
    expect(await replica.exited).toBe(0);
    const after = await until(`the targets of ${stopping} taken over`, LEASE_MS + 1_000, async () => {
      const current = await leases(survivor);
      return held.every((t) => current.get(t) !== stopping && current.get(t) !== null) ? current : undefined;
    });
    // Sooner than an expired lease allows (its last renewal came at most one poll before the signal): the shutdown released it.
    const takeoverMs = performance.now() - signalledAt;
    expect(takeoverMs, `taken over ${Math.round(takeoverMs)} ms after SIGTERM`).toBeLessThan(LEASE_MS - POLL_MS - 300);
    for (const target of held) expect(after.get(target)).not.toBe(stopping);
  }, 30_000);
});

describe.skipIf(Boolean(serverUrl))("several gateway replicas", () => {
  it.skip("skipped: TEST_DATABASE_URL is not set; replicas share one real PostgreSQL server (.ci/run sets it)", () => {});
});
