import { expect } from "vitest";
import type { EmulatedWorld } from "./emulated.ts";

/** What the run tests read from `GET /v1/runs/{id}`. */
export interface RunBody {
  id: string;
  state: string;
  flinkJobId: string;
  flinkState: string | null;
  finalStateSource: string | null;
  failureCause: string | null;
  lastSavepoint: string | null;
  lastCheckpoint: { id: number; completedAt: string; path: string | null } | null;
  savepointPath: string | null;
  yarn: { applicationId: string | null; tag: string | null; state: string | null; finalStatus: string | null; diagnostics: string | null };
  endedAt: string | null;
}

/** The run API of an emulated world, as a client uses it. */
export function runApi(w: EmulatedWorld) {
  const getRun = async (id: string): Promise<RunBody> => (await w.t.request(`/v1/runs/${id}`)).json();
  return {
    getRun,
    getOp: async (id: string) => (await w.t.request(`/v1/operations/${id}`)).json(),

    async defineJob(body: Record<string, unknown>): Promise<void> {
      const response = await w.t.request("/v1/jobs", { method: "POST", json: { artifact: { uri: w.jarUri }, ...body } });
      expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
    },

    async startRun(job: string, body: unknown = {}): Promise<RunBody> {
      const response = await w.t.request(`/v1/jobs/${job}/runs`, { method: "POST", json: body });
      const run = await response.json();
      expect(response.status, JSON.stringify(run)).toBe(201);
      return run as RunBody;
    },

    /** Steps the world (`ms` of emulated time each) until the run is in `state`; at most `max` steps. */
    async stepUntil(id: string, state: string, ms = 500, max = 40): Promise<RunBody> {
      let run = await getRun(id);
      for (let i = 0; i < max && run.state !== state; i++) {
        await w.step(ms);
        run = await getRun(id);
      }
      expect(run.state, JSON.stringify(run)).toBe(state);
      return run;
    },

    /** Moves emulated time while `work` runs: the Flink CLI waits for its application to be RUNNING. */
    async whileTimeMoves<T>(work: Promise<T>): Promise<T> {
      const ticker = setInterval(() => void w.emulator.control.advance(50), 20);
      try {
        return await work;
      } finally {
        clearInterval(ticker);
      }
    },
  };
}

export type RunApi = ReturnType<typeof runApi>;
