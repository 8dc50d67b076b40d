import type { HttpMethod } from "../upstream/upstream-http.ts";

export interface FlinkRoute {
  method: HttpMethod;
  /** Path template as in `rest_v1_dispatcher.yml` (`{jobid}` placeholders). */
  path: string;
  /** Changes something on the cluster (a GET can, see yarn-cancel). */
  mutates: boolean;
  /** Archived and served by the History Server (flink/NOTES.md "History Server"). */
  historyServer: boolean;
  /** Registered by Flink but absent from the OpenAPI document. */
  undocumented?: string;
}

/**
 * Every call the Flink client makes. The client can only reach Flink through
 * this table, so the conformance test that checks it against the OpenAPI
 * document covers the whole client.
 */
export const flinkRoutes = {
  config: { method: "GET", path: "/config", mutates: false, historyServer: true },
  overview: { method: "GET", path: "/overview", mutates: false, historyServer: false },
  jobsOverview: { method: "GET", path: "/jobs/overview", mutates: false, historyServer: true },
  jobDetail: { method: "GET", path: "/jobs/{jobid}", mutates: false, historyServer: true },
  jobStatus: { method: "GET", path: "/jobs/{jobid}/status", mutates: false, historyServer: false },
  jobPlan: { method: "GET", path: "/jobs/{jobid}/plan", mutates: false, historyServer: true },
  jobExceptions: { method: "GET", path: "/jobs/{jobid}/exceptions", mutates: false, historyServer: true },
  jobCheckpoints: { method: "GET", path: "/jobs/{jobid}/checkpoints", mutates: false, historyServer: true },
  jarList: { method: "GET", path: "/jars", mutates: false, historyServer: false },
  jarUpload: { method: "POST", path: "/jars/upload", mutates: true, historyServer: false },
  jarDelete: { method: "DELETE", path: "/jars/{jarid}", mutates: true, historyServer: false },
  jarRun: { method: "POST", path: "/jars/{jarid}/run", mutates: true, historyServer: false },
  jobCancel: { method: "PATCH", path: "/jobs/{jobid}", mutates: true, historyServer: false },
  jobYarnCancel: {
    method: "GET",
    path: "/jobs/{jobid}/yarn-cancel",
    mutates: true,
    historyServer: false,
    undocumented: "same handler as PATCH cancel, a GET so it passes the YARN RM proxy (FLINK-8605)",
  },
  jobStop: { method: "POST", path: "/jobs/{jobid}/stop", mutates: true, historyServer: false },
  savepointTrigger: { method: "POST", path: "/jobs/{jobid}/savepoints", mutates: true, historyServer: false },
  savepointStatus: { method: "GET", path: "/jobs/{jobid}/savepoints/{triggerid}", mutates: false, historyServer: false },
} as const satisfies Record<string, FlinkRoute>;

export type FlinkRouteName = keyof typeof flinkRoutes;
