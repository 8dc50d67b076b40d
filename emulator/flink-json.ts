import type { FlinkCluster } from "./flink-cluster.ts";
import type { FlinkJob, JobStatus } from "./flink-job.ts";
import { derivedHex32 } from "./ids.ts";

/** ExecutionState in declaration order (flink/NOTES.md); note CANCELING with one L at task level. */
const EXECUTION_STATES = [
  "CREATED", "SCHEDULED", "DEPLOYING", "RUNNING", "FINISHED",
  "CANCELING", "CANCELED", "FAILED", "RECONCILING", "INITIALIZING",
] as const;
type ExecutionState = (typeof EXECUTION_STATES)[number];

const VERTEX_STATE: Record<JobStatus, ExecutionState> = {
  INITIALIZING: "CREATED", CREATED: "CREATED", RUNNING: "RUNNING", FAILING: "CANCELING",
  FAILED: "CANCELED", CANCELLING: "CANCELING", CANCELED: "CANCELED", FINISHED: "FINISHED",
  RESTARTING: "CREATED", SUSPENDED: "CANCELED", RECONCILING: "RECONCILING",
};

function vertexState(state: JobStatus, index: number): ExecutionState {
  // The failing task is the first vertex; the others are cancelled by the failover.
  return state === "FAILED" && index === 0 ? "FAILED" : VERTEX_STATE[state];
}

function countsFor(state: ExecutionState, n: number): Record<ExecutionState, number> {
  const out = Object.fromEntries(EXECUTION_STATES.map((s) => [s, 0])) as Record<ExecutionState, number>;
  out[state] = n;
  return out;
}

const vertexName = (job: FlinkJob, i: number): string =>
  i === 0 ? "Source: Emulated Source" : i === job.script.vertices - 1 ? "Sink: Emulated Sink" : `Map ${i}`;

const vertexId = (job: FlinkJob, i: number): string => derivedHex32(`${job.id}/vertex/${i}`);

export function jobOverviewEntry(cluster: FlinkCluster, job: FlinkJob, now: number): Record<string, unknown> {
  const state = job.stateAt(now);
  const end = job.endTimeAt(now);
  const tasks: Record<string, number> = { total: 0 };
  for (const s of EXECUTION_STATES) tasks[s.toLowerCase()] = 0;
  for (let i = 0; i < job.script.vertices; i++) {
    const key = vertexState(state, i).toLowerCase();
    tasks[key] = (tasks[key] ?? 0) + job.parallelism;
    tasks.total = (tasks.total ?? 0) + job.parallelism;
  }
  const entry: Record<string, unknown> = {
    jid: job.id,
    name: job.name,
    state,
    "start-time": job.submittedAt,
    "end-time": end,
    duration: (end === -1 ? now : end) - job.submittedAt,
    "last-modification": job.lastModificationAt(now),
    tasks,
  };
  if (cluster.features.v2) entry["pending-operators"] = 0;
  return entry;
}

export function jobPlan(job: FlinkJob): Record<string, unknown> {
  const nodes = Array.from({ length: job.script.vertices }, (_, i) => ({
    id: vertexId(job, i),
    parallelism: job.parallelism,
    operator: "",
    operator_strategy: "",
    description: vertexName(job, i),
    ...(i > 0 ? { inputs: [{ num: 0, id: vertexId(job, i - 1), ship_strategy: "FORWARD", exchange: "pipelined_bounded" }] } : {}),
    optimizer_properties: {},
  }));
  return { jid: job.id, name: job.name, type: job.script.kind === "batch" ? "BATCH" : "STREAMING", nodes };
}

export function jobDetails(cluster: FlinkCluster, job: FlinkJob, now: number): Record<string, unknown> {
  const state = job.stateAt(now);
  const end = job.endTimeAt(now);
  const runningSince = job.timestampsAt(now).RUNNING;
  const statusCounts = countsFor("CREATED", 0);
  const vertices = Array.from({ length: job.script.vertices }, (_, i) => {
    const status = vertexState(state, i);
    statusCounts[status] += job.parallelism;
    const start = runningSince > 0 ? runningSince : -1;
    return {
      id: vertexId(job, i),
      name: vertexName(job, i),
      maxParallelism: 128,
      parallelism: job.parallelism,
      status,
      "start-time": start,
      "end-time": end,
      duration: start === -1 ? -1 : (end === -1 ? now : end) - start,
      tasks: countsFor(status, job.parallelism),
      metrics: {
        "read-bytes": 0, "read-bytes-complete": true, "write-bytes": 0, "write-bytes-complete": true,
        "read-records": 0, "read-records-complete": true, "write-records": 0, "write-records-complete": true,
        "accumulated-backpressured-time": 0, "accumulated-idle-time": 0, "accumulated-busy-time": 0,
      },
    };
  });
  const details: Record<string, unknown> = {
    jid: job.id,
    name: job.name,
    isStoppable: false,
    state,
    "start-time": job.submittedAt,
    "end-time": end,
    duration: (end === -1 ? now : end) - job.submittedAt,
    maxParallelism: -1,
    now,
    timestamps: job.timestampsAt(now),
    vertices,
    "status-counts": statusCounts,
    plan: jobPlan(job),
  };
  if (cluster.features.jobType) details["job-type"] = job.script.kind === "batch" ? "BATCH" : "STREAMING";
  if (cluster.features.v2) details["pending-operators"] = 0;
  return details;
}

export function jobIdsWithStatus(jobs: FlinkJob[], now: number): Record<string, unknown> {
  return { jobs: jobs.map((job) => ({ id: job.id, status: job.stateAt(now) })) };
}

