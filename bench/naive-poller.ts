import type { SessionTarget, YarnTarget } from "../src/domain/target.ts";
import { createLaunchClients } from "../src/launch/launch-clients.ts";
import { serveRpc } from "./child-rpc.ts";
import { type LoopResult, measureTicks } from "./tick-loop.ts";

/**
 * The poller flinkgate replaces, as StreamPark's and Dinky's watchers work:
 * every tick, one `GET /jobs/{id}` per session job and one
 * `GET /ws/v1/cluster/apps/{id}` per YARN application, through the same
 * clients the gateway uses (src/flink, src/yarn), a bounded number in
 * flight. It keeps the last state in memory and writes nothing, which
 * flatters its CPU time and RSS. Runs in its own process (forked by
 * bench/monitor.ts) so its CPU time and RSS are its own.
 */
export interface NaiveWatch {
  sessionJobs: Array<{ target: SessionTarget; jobId: string }>;
  yarnApps: Array<{ appId: string; jobId: string }>;
  yarnTarget: YarnTarget;
  controlUrl: string;
  intervalMs: number;
  durationMs: number;
  concurrency: number;
}

export interface NaiveSighting {
  jobId: string;
  /** FINISHED / FAILED / CANCELED, or RESTARTING (Flink's state, session jobs only). */
  state: string;
  at: number;
}

export interface NaiveResult extends LoopResult {
  sightings: NaiveSighting[];
}

/** YARN's view of an ended application-mode cluster, as these pollers map it. */
const YARN_END: Record<string, string> = { SUCCEEDED: "FINISHED", FAILED: "FAILED", KILLED: "CANCELED" };
const FLINK_END = new Set(["FINISHED", "FAILED", "CANCELED"]);

async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  }));
}

export async function pollNaively(watch: NaiveWatch): Promise<NaiveResult> {
  const clients = createLaunchClients({ http: { timeoutMs: 10_000 } });
  const yarn = clients.yarn(watch.yarnTarget);
  type Watched = { jobId: string; read: () => Promise<string | undefined>; last: string };
  const watched: Watched[] = [
    ...watch.sessionJobs.map(({ target, jobId }) => ({ jobId, last: "RUNNING", read: async () => (await clients.session(target).getJob(jobId)).state as string })),
    ...watch.yarnApps.map(({ appId, jobId }) => ({
      jobId,
      last: "RUNNING",
      read: async () => {
        const { app } = await yarn.getApp(appId);
        return ["FINISHED", "FAILED", "KILLED"].includes(app.state) ? YARN_END[app.finalStatus] : undefined;
      },
    })),
  ];
  const sightings: NaiveSighting[] = [];
  let active = watched;
  const tick = async () => {
    await eachLimited(active, watch.concurrency, async (job) => {
      const state = await job.read().catch(() => undefined); // a failed read changes nothing
      if (state === undefined || state === job.last) return;
      job.last = state;
      if (FLINK_END.has(state) || state === "RESTARTING") sightings.push({ jobId: job.jobId, state, at: Date.now() });
    });
    active = active.filter((job) => !FLINK_END.has(job.last));
  };
  try {
    const loop = await measureTicks({ tick, controlUrl: watch.controlUrl, intervalMs: watch.intervalMs, durationMs: watch.durationMs });
    return { ...loop, sightings };
  } finally {
    await clients.close();
  }
}

serveRpc({ poll: (watch: NaiveWatch) => pollNaively(watch) });
