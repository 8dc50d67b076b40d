import type { FlinkCluster, SavepointOp } from "./flink-cluster.ts";
import type { FlinkJob, JobFailure } from "./flink-job.ts";
import { isGloballyTerminal } from "./flink-job.ts";

/** Java-style stack trace text, the form Flink puts into `stacktrace` and error bodies. */
export function javaStackTrace(className: string, message: string, frames: readonly string[], causes: readonly string[] = []): string {
  let text = `${className}: ${message}` + frames.map((f) => `\n\tat ${f}`).join("");
  for (const cause of causes) text += `\nCaused by: ${cause}\n\t... ${frames.length} more`;
  return text;
}

function failureTrace(job: FlinkJob, failure: JobFailure): string {
  const frames = [
    `${job.entryClass ?? "org.apache.flink.emulated.Job"}.lambda$main$0(Job.java:42)`,
    "org.apache.flink.streaming.runtime.tasks.StreamTask.invoke(StreamTask.java:797)",
    "org.apache.flink.runtime.taskmanager.Task.run(Task.java:568)",
    "java.lang.Thread.run(Thread.java:829)",
  ];
  const message = failure.message.startsWith(`${failure.exceptionName}: `)
    ? failure.message.slice(failure.exceptionName.length + 2)
    : failure.message;
  return javaStackTrace(failure.exceptionName, message, frames);
}

/**
 * GET /jobs/:jobid/exceptions. Newest first, `maxExceptions` (default 20) caps the list.
 * Up to 1.20 the deprecated top-level fields are still sent; 2.0 removed them (FLINK-32688).
 * `endpoint` replaced `location` in 1.19; `failureLabels` exist from 1.18.
 */
export function jobExceptions(cluster: FlinkCluster, job: FlinkJob, now: number, maxExceptions = 20): Record<string, unknown> {
  const f = cluster.features;
  const all = job.failuresAt(now).slice().reverse();
  const shown = all.slice(0, Math.max(0, maxExceptions));
  const entries = shown.map((failure) => {
    const entry: Record<string, unknown> = {
      exceptionName: failure.exceptionName,
      stacktrace: failureTrace(job, failure),
      timestamp: failure.at,
      taskName: failure.taskName,
      [f.exceptionEndpoint ? "endpoint" : "location"]: "emulated-taskmanager:6121",
      taskManagerId: "emulated-taskmanager-1",
      concurrentExceptions: [],
    };
    if (f.rescaleAndFailureLabels) entry.failureLabels = {};
    return entry;
  });
  const body: Record<string, unknown> = { exceptionHistory: { entries, truncated: all.length > shown.length } };
  if (!f.v2) {
    const root = all[0];
    body["root-exception"] = root ? failureTrace(job, root) : null;
    body.timestamp = root ? root.at : null;
    body["all-exceptions"] = [];
    body.truncated = false;
  }
  return body;
}

/** SerializedThrowable as Jackson writes it (flink/NOTES.md: class, stack-trace, serialized-throwable). */
export function serializedThrowable(className: string, stackTrace: string): Record<string, unknown> {
  // Real Flink puts Java serialization bytes here; no client can use them, so base64 of the text stands in.
  return { class: className, "stack-trace": stackTrace, "serialized-throwable": Buffer.from(stackTrace).toString("base64") };
}

const APPLICATION_STATUS = { FINISHED: "SUCCEEDED", FAILED: "FAILED", CANCELED: "CANCELED" } as const;

/** GET /jobs/:jobid/execution-result: the hand-written JobResultSerializer shape, not the OpenAPI JobResult. */
export function executionResult(job: FlinkJob, now: number): Record<string, unknown> {
  const state = job.stateAt(now);
  if (!isGloballyTerminal(state)) return { status: { id: "IN_PROGRESS" } };
  const status = APPLICATION_STATUS[state as keyof typeof APPLICATION_STATUS] ?? "UNKNOWN";
  const end = job.endTimeAt(now);
  const result: Record<string, unknown> = {
    id: job.id,
    "application-status": status,
    "accumulator-results": {},
    "net-runtime": end - job.submittedAt,
  };
  const last = job.failuresAt(now).at(-1);
  if (state === "FAILED" && last) {
    result["failure-cause"] = serializedThrowable(last.exceptionName, failureTrace(job, last));
  }
  return { status: { id: "COMPLETED" }, "job-execution-result": result };
}

/**
 * GET /jobs/:jobid/savepoints/:triggerid. A failed savepoint is still COMPLETED at the queue
 * level; only the presence of `location` means success (flink/NOTES.md).
 */
export function savepointStatus(op: SavepointOp, now: number): Record<string, unknown> {
  if (op.completesAt > now) return { status: { id: "IN_PROGRESS" } };
  if (op.location) return { status: { id: "COMPLETED" }, operation: { location: op.location } };
  const failure = op.failure ?? { className: "java.lang.Exception", message: "Savepoint failed." };
  const trace = javaStackTrace(failure.className, failure.message, [
    "org.apache.flink.runtime.checkpoint.CheckpointCoordinator.triggerCheckpointFromCheckpointThread(CheckpointCoordinator.java:661)",
    "java.util.concurrent.CompletableFuture.uniApply(CompletableFuture.java:642)",
  ]);
  return { status: { id: "COMPLETED" }, operation: { "failure-cause": serializedThrowable(failure.className, trace) } };
}
