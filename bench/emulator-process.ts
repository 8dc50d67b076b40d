import { type Emulator, startEmulator } from "../emulator/emulator.ts";
import { serveRpc } from "./child-rpc.ts";

/**
 * The emulator in its own process (forked by bench/monitor.ts), plus the
 * scripted stream of state changes: every 1/rate seconds one random watched
 * job finishes, fails or restarts, and the time of each change is logged
 * for the detection latency.
 */
export interface EmulatorStart {
  clusters: string[];
  /** How long a restarted job stays RESTARTING (long enough for a poller to see it). */
  restartDelayMs: number;
  historyLagMs: number;
}

export interface EmulatorUrls {
  sessionUrls: Record<string, string>;
  rmUrls: [string, string];
  historyUrl: string;
  controlUrl: string;
}

export type ChangeAction = "finish" | "fail" | "restart";
export interface ScriptedChange {
  jobId: string;
  action: ChangeAction;
  /** Epoch ms of the transition on the emulator (system clock, shared with the other processes). */
  at: number;
}

/** Out of 100 changes: restarts keep the job, finishes and failures end it. */
const MIX: Array<[ChangeAction, number]> = [["restart", 40], ["finish", 35], ["fail", 25]];

let emulator: Emulator | undefined;
let timer: NodeJS.Timeout | undefined;
let log: ScriptedChange[] = [];
const pool: string[] = [];

function pickAction(): ChangeAction {
  let roll = Math.random() * 100;
  for (const [action, weight] of MIX) if ((roll -= weight) < 0) return action;
  return "restart";
}

function changeOne(): void {
  const control = emulator!.control;
  for (let attempt = 0; attempt < 5 && pool.length > 0; attempt++) {
    const index = Math.floor(Math.random() * pool.length);
    const jobId = pool[index]!;
    if (control.job(jobId)?.state !== "RUNNING") continue;
    const action = pickAction();
    const at = Date.now();
    if (action === "restart") control.restartJob(jobId, "java.lang.RuntimeException: bench restart");
    else {
      if (action === "finish") control.finishJob(jobId);
      else control.failJob(jobId, "java.lang.IllegalStateException: bench failure");
      pool[index] = pool[pool.length - 1]!;
      pool.pop();
    }
    log.push({ jobId, action, at });
    return;
  }
}

serveRpc({
  async start(options: EmulatorStart): Promise<EmulatorUrls> {
    emulator = await startEmulator({
      sessionClusters: options.clusters,
      // Keep every ended application listed: the RM's default of 1,000 would forget some mid-run.
      rm: { maxCompletedApps: 1_000_000 },
      historyServer: { lagMs: options.historyLagMs },
      rules: [{ match: {}, script: { restartDelayMs: options.restartDelayMs } }],
    });
    const e = emulator;
    return {
      sessionUrls: Object.fromEntries(options.clusters.map((name) => [name, e.sessionClusterUrl(name)])),
      rmUrls: e.rmUrls,
      historyUrl: e.historyServerUrl,
      controlUrl: e.controlUrl,
    };
  },

  /** Starts (or retargets) the stream of changes over the given jobs. */
  startChanges({ jobIds, perSecond }: { jobIds?: string[]; perSecond: number }): void {
    if (jobIds) pool.splice(0, pool.length, ...jobIds);
    clearInterval(timer);
    if (perSecond > 0) timer = setInterval(changeOne, 1000 / perSecond);
  },

  /** Stops the stream; returns the changes made since the last call. */
  stopChanges(): ScriptedChange[] {
    clearInterval(timer);
    const done = log;
    log = [];
    return done;
  },

  async stop() {
    clearInterval(timer);
    await emulator?.stop();
  },
});
