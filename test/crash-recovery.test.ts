import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../emulator/emulator.ts";
import type { Fault } from "../emulator/faults.ts";
import { processDatabaseEnv } from "./helpers/database.ts";
import { type GatewayProcess, startGatewayProcess } from "./helpers/process.ts";
import { buildZip } from "./helpers/zip.ts";

/**
 * "The forgotten job" (DESIGN.md): the gateway process is killed (with the
 * Flink CLI it may be running) between storing a run and sending it, and
 * between sending it and recording the answer, on every submission path. A
 * new process on the same database must leave exactly one Flink job / YARN
 * application per run, and the run must point at it and follow it to its end.
 * The emulator runs here on the system clock; the upstream requests are held
 * by routed faults until the kill.
 */

const ADMIN = "crash-admin-token-0123456789";
const FAKE_FLINK_HOME = fileURLToPath(new URL("./fixtures/fake-flink", import.meta.url));
const SESSION_RUN = "POST /v1/jars/:id/run";
const YARN_SUBMIT = "POST /ws/v1/cluster/apps";

interface Path {
  name: "session" | "yarn-rest" | "flink-cli";
  mode: "session" | "application";
}
const PATHS: Path[] = [
  { name: "session", mode: "session" },
  { name: "yarn-rest", mode: "application" },
  { name: "flink-cli", mode: "application" },
];

interface RunView {
  id: string;
  state: string;
  flinkJobId: string;
  finalStateSource: string | null;
  yarn: { applicationId: string | null; tag: string | null };
}

let emulator: Emulator;
let filesDir: string;
let env: Record<string, string>;
let cleanupDatabase: () => Promise<void>;
let gateway: GatewayProcess | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ historyServer: { lagMs: 0 } });
  filesDir = await mkdtemp(path.join(tmpdir(), "flinkgate-crash-"));
  const jar = buildZip({ "META-INF/MANIFEST.MF": "Manifest-Version: 1.0\n" });
  await writeFile(path.join(filesDir, "job.jar"), jar);
  await writeFile(path.join(filesDir, "flink-dist.jar"), jar);
  const database = await processDatabaseEnv();
  cleanupDatabase = database.cleanup;
  env = {
    DATA_DIR: filesDir,
    ...database.env,
    BOOTSTRAP_ADMIN_TOKEN: ADMIN,
    // Recovery must wait for the dead process's claim; keep that short, and the upstream deadline long.
    SUBMISSION_CLAIM_TIMEOUT: "5s",
    FLINK_CLI_TIMEOUT: "4s",
    RECOVERY_INTERVAL: "200ms",
    MONITOR_POLL_INTERVAL: "200ms",
    MONITOR_LEASE_DURATION: "2s",
    UPSTREAM_TIMEOUT: "60s",
  };
  gateway = await startGatewayProcess(env);
  await defineTargets(gateway.url);
}, 90_000);

afterAll(async () => {
  await gateway?.crash();
  await emulator?.stop();
  await cleanupDatabase?.();
  if (filesDir) await rm(filesDir, { recursive: true, force: true });
});

async function call(url: string, route: string, init: { method?: string; json?: unknown } = {}) {
  const response = await fetch(`${url}${route}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
  });
  const body = (await response.json()) as any;
  return { status: response.status, body };
}

async function defineTargets(url: string) {
  const yarn = { kind: "yarn", rmUrls: emulator.rmUrls, historyServerUrl: emulator.historyServerUrl, user: "flink", flinkVersion: "1.18.1" };
  const targets = [
    { name: "session", kind: "session", restUrl: emulator.sessionClusterUrl("default"), historyServerUrl: emulator.historyServerUrl },
    { name: "yarn-rest", ...yarn, launcher: "yarn-rest", flinkDistUri: `file://${path.join(filesDir, "flink-dist.jar")}` },
    { name: "flink-cli", ...yarn, launcher: "flink-cli", flinkHome: FAKE_FLINK_HOME, cliEnv: { FLINK_FAKE_RM_URL: emulator.rmUrls[0]!, FLINK_FAKE_USER: "flink" } },
  ];
  for (const target of targets) {
    const created = await call(url, "/v1/targets", { method: "POST", json: target });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
}

/** Polls `probe` every 100 ms until it returns a value, for at most `ms`. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const entryClass = (phase: string, p: Path) => `com.acme.Batch${phase}${p.name.replace("-", "")}`;
const jobName = (phase: string, p: Path) => `${phase.toLowerCase()}-${p.name}`;

/**
 * Defines one batch job per path and starts its run; the POSTs are left
 * hanging (the faults hold the upstream calls). Returns the stored runs once
 * `held` says every submission is where the kill should find it.
 */
async function startHeldRuns(url: string, phase: string, held: (runs: Map<Path, RunView>) => boolean): Promise<Map<Path, RunView>> {
  const runs = new Map<Path, RunView>();
  for (const p of PATHS) {
    const job = { name: jobName(phase, p), target: p.name, mode: p.mode, artifact: { uri: `file://${path.join(filesDir, "job.jar")}` }, entryClass: entryClass(phase, p), args: ["--emulator.runMs=3000"] };
    const created = await call(url, "/v1/jobs", { method: "POST", json: job });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // Never answered: the process dies first.
    void fetch(`${url}/v1/jobs/${job.name}/runs`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" }, body: "{}" }).catch(() => undefined);
  }
  return eventually(`the ${phase} submissions to be held`, async () => {
    for (const p of PATHS) {
      const { body } = await call(url, `/v1/runs?job=${jobName(phase, p)}`);
      const [run] = body.items as RunView[];
      if (!run) return undefined;
      runs.set(p, run);
    }
    // The runs must still be unresolved when the process dies.
    const states = [...runs.values()].map((r) => r.state);
    if (states.some((state) => state !== "PENDING" && state !== "SUBMITTING")) throw new Error(`a run moved on before the kill: ${JSON.stringify([...runs.values()])}`);
    return states.every((state) => state === "SUBMITTING") && held(runs) ? runs : undefined;
  });
}

const jobsOf = (phase: string, p: Path) => emulator.control.listJobs().filter((j) => j.entryClass === entryClass(phase, p));
const appsOf = (run: RunView) => emulator.control.listApps().filter((a) => run.yarn.tag !== null && a.tags.includes(run.yarn.tag));
const routeCount = (upstream: string, route: string) => emulator.control.counters()[upstream]?.byRoute[route] ?? 0;

/** Kills the gateway (and the Flink CLI it runs), then lifts the faults. */
async function crash(): Promise<void> {
  await gateway!.crash();
  gateway = undefined;
  emulator.control.clearFaults();
}

/** A new process on the same database. */
async function restart(): Promise<string> {
  gateway = await startGatewayProcess(env);
  return gateway.url;
}

/** After recovery: exactly one job (and one application on YARN), the run points at it and ends FINISHED. */
async function expectResolved(url: string, phase: string, runs: Map<Path, RunView>) {
  for (const p of PATHS) {
    const stored = runs.get(p)!;
    const run = await eventually(`${p.name} run ${stored.id} to finish`, async () => {
      const { body } = await call(url, `/v1/runs/${stored.id}`);
      return ["FINISHED", "FAILED", "CANCELED", "LOST"].includes(body.state) ? (body as RunView) : undefined;
    });
    expect(run.state, `${p.name}: ${JSON.stringify(run)}`).toBe("FINISHED");
    expect(run.flinkJobId, p.name).toBe(stored.flinkJobId);
    const jobs = jobsOf(phase, p);
    expect(jobs.map((j) => j.jobId), `${p.name}: one Flink job`).toEqual([run.flinkJobId]);
    if (p.mode === "session") {
      expect(jobs[0]!.cluster).toBe("default");
      continue;
    }
    const apps = appsOf(run);
    expect(apps.map((a) => a.appId), `${p.name}: one YARN application`).toEqual([run.yarn.applicationId]);
    expect(apps[0]).toMatchObject({ jobId: run.flinkJobId, finalStatus: "SUCCEEDED" });
  }
}

describe("a gateway killed mid-submission", () => {
  it("between 'stored' and 'sent': the new process submits each run exactly once", async () => {
    emulator.control.resetCounters();
    emulator.control.setFault("session:default", { route: SESSION_RUN, hang: true } satisfies Fault);
    emulator.control.setFault("rm:rm1", { route: YARN_SUBMIT, hang: true } satisfies Fault);
    const runs = await startHeldRuns(gateway!.url, "Stored", () => routeCount("session:default", SESSION_RUN) >= 1 && routeCount("rm:rm1", YARN_SUBMIT) >= 2);
    // yarn-rest stores the application id it reserved before sending.
    expect(runs.get(PATHS[1]!)!.yarn.applicationId).toMatch(/^application_/);

    await crash();
    for (const p of PATHS) expect(jobsOf("Stored", p), `${p.name}: nothing reached the cluster`).toEqual([]);
    for (const p of PATHS.filter((x) => x.mode !== "session")) expect(appsOf(runs.get(p)!), p.name).toEqual([]);

    const url = await restart();
    await expectResolved(url, "Stored", runs);
    // yarn-rest submitted under the id it had stored.
    const rest = (await call(url, `/v1/runs/${runs.get(PATHS[1]!)!.id}`)).body as RunView;
    expect(rest.yarn.applicationId).toBe(runs.get(PATHS[1]!)!.yarn.applicationId);
  }, 60_000);

  it("between 'sent' and 'recorded': the new process finds each job and submits nothing again", async () => {
    emulator.control.resetCounters();
    emulator.control.setFault("session:default", { route: SESSION_RUN, hang: true, afterHandling: true } satisfies Fault);
    emulator.control.setFault("rm:rm1", { route: YARN_SUBMIT, hang: true, afterHandling: true } satisfies Fault);
    const runs = await startHeldRuns(gateway!.url, "Sent", (held) => PATHS.every((p) => jobsOf("Sent", p).length === 1 || (p.mode !== "session" && appsOf(held.get(p)!).length === 1)));

    await crash();
    for (const p of PATHS) {
      const arrived = p.mode === "session" ? jobsOf("Sent", p) : appsOf(runs.get(p)!);
      expect(arrived, `${p.name}: the submission arrived before the kill`).toHaveLength(1);
    }

    const url = await restart();
    await expectResolved(url, "Sent", runs);
    expect(routeCount("session:default", SESSION_RUN), "no second jar run").toBe(1);
    expect(routeCount("rm:rm1", YARN_SUBMIT) + routeCount("rm:rm2", YARN_SUBMIT), "no second application").toBe(2);
  }, 60_000);
});
