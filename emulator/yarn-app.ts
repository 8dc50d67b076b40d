import type { Server } from "node:http";
import type { FlinkCluster } from "./flink-cluster.ts";
import type { JobScript } from "./job-script.ts";

export const YARN_STATES = ["NEW", "NEW_SAVING", "SUBMITTED", "ACCEPTED", "RUNNING", "FINISHED", "FAILED", "KILLED"] as const;
export type YarnState = (typeof YARN_STATES)[number];
export const FINAL_STATUSES = ["UNDEFINED", "SUCCEEDED", "FAILED", "KILLED"] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];

export const isYarnTerminal = (s: YarnState): boolean => s === "FINISHED" || s === "FAILED" || s === "KILLED";

/** Which Flink entrypoint class the AM command starts (NOTES-flink-on-yarn.md "Deployment modes"). */
export type FlinkEntrypoint = "application" | "per-job" | "session";

export interface RunningAm {
  server: Server;
  port: number;
  cluster: FlinkCluster;
}

export interface YarnApp {
  id: string;
  user: string;
  name: string;
  queue: string;
  type: string;
  /** Lower-cased and trimmed as the RM stores them. */
  tags: string[];
  priority: number;
  amMemoryMb: number;
  amVCores: number;
  startedTime: number;
  launchTime: number;
  finishedTime: number;
  state: YarnState;
  finalStatus: FinalStatus;
  diagnostics: string;
  maxAttempts: number;
  attempt: number;
  /** null when the AM command is not a Flink entrypoint (a generic application). */
  entrypoint: FlinkEntrypoint | null;
  hasCommand: boolean;
  /** Dynamic properties (`-D key=value`) of the AM command: the job's effective Flink config. */
  flinkConfig: Record<string, string>;
  script: JobScript;
  am: RunningAm | null;
  /** `host:port` the AM registered (kept after it ends, as YARN reports keep the last attempt's address). */
  amRpcAddress: string | null;
  /** Final tracking URL Flink passed on unregistration (History Server) or null. */
  finalTrackingUrl: string | null;
  /** The job the AM runs, once it runs one. */
  jobId: string | null;
  /** Fault: the RM proxy answers 404 for this live application. */
  proxyNotFound: boolean;
}

/** The RM's `app` object (yarn/NOTES.md "The app object"; examples/app.json). `rmBase` is the answering RM. */
export function appJson(app: YarnApp, rmBase: string, now: number): Record<string, unknown> {
  const terminal = isYarnTerminal(app.state);
  const registered = app.launchTime > 0;
  const json: Record<string, unknown> = {
    id: app.id,
    user: app.user,
    name: app.name,
    queue: app.queue,
    state: app.state,
    finalStatus: app.finalStatus,
    progress: terminal ? 100 : 0,
    trackingUI: terminal ? "History" : registered ? "ApplicationMaster" : "UNASSIGNED",
    diagnostics: app.diagnostics,
    clusterId: Number(app.id.split("_")[1]),
    applicationType: app.type,
    applicationTags: app.tags.join(","),
    priority: app.priority,
    startedTime: app.startedTime,
    launchTime: app.launchTime,
    finishedTime: app.finishedTime,
    elapsedTime: (terminal ? app.finishedTime : now) - app.startedTime,
    allocatedMB: terminal ? -1 : registered ? app.amMemoryMb : 0,
    allocatedVCores: terminal ? -1 : registered ? app.amVCores : 0,
    runningContainers: terminal ? -1 : registered ? 1 : 0,
    memorySeconds: Math.round((app.amMemoryMb * Math.max(0, (terminal ? app.finishedTime : now) - (app.launchTime || now))) / 1000),
    vcoreSeconds: Math.round((app.amVCores * Math.max(0, (terminal ? app.finishedTime : now) - (app.launchTime || now))) / 1000),
    queueUsagePercentage: 0,
    clusterUsagePercentage: 0,
    preemptedResourceMB: 0,
    preemptedResourceVCores: 0,
    numNonAMContainerPreempted: 0,
    numAMContainerPreempted: 0,
    logAggregationStatus: "DISABLED",
    unmanagedApplication: false,
    appNodeLabelExpression: "",
    amNodeLabelExpression: "",
  };
  if (registered) {
    // Attempts that ended KILLED/FAILED point at the RM app page instead of the proxy.
    json.trackingUrl = app.state === "KILLED" || app.state === "FAILED" ? `${rmBase}/cluster/app/${app.id}` : `${rmBase}/proxy/${app.id}/`;
    json.amHostHttpAddress = "127.0.0.1:8042";
    json.amContainerLogs = `http://127.0.0.1:8042/node/containerlogs/container_${app.id.slice("application_".length)}_0${app.attempt}_000001/${app.user}`;
  }
  if (app.amRpcAddress) json.amRPCAddress = app.amRpcAddress;
  return json;
}
