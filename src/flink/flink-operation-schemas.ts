import { z } from "zod";
import { shortLine } from "../upstream/upstream-message.ts";
import { queueStatusSchema } from "./flink-enums.ts";

/** `{"request-id": "<trigger id>"}`, the 202 answer of savepoint / stop. */
export const triggerResponseSchema = z.object({ "request-id": z.string() }).transform((t) => t["request-id"]);

/**
 * A SerializedThrowable. The OpenAPI schema shows only `serialized-throwable`;
 * the real serializer also writes `class` and `stack-trace` (flink/NOTES.md).
 */
const serializedThrowableSchema = z
  .object({
    class: z.string().nullish(),
    "stack-trace": z.string().nullish(),
    "serialized-throwable": z.string().nullish(),
  })
  .transform((t) => ({
    className: t.class ?? undefined,
    message: t["stack-trace"] ? shortLine(t["stack-trace"]) : (t.class ?? "unknown failure"),
    stackTrace: t["stack-trace"] ?? undefined,
  }));
export type FlinkFailureCause = z.output<typeof serializedThrowableSchema>;

export type SavepointOperationResult =
  | { state: "IN_PROGRESS"; queueStatus: string }
  | { state: "SUCCEEDED"; location: string }
  | { state: "FAILED"; failureCause: FlinkFailureCause };

/**
 * `GET /jobs/:jobid/savepoints/:triggerid` → `AsynchronousOperationResult`.
 * Quirk: a failed savepoint is still `COMPLETED` at the queue level; success is
 * decided by the presence of `operation.location`, failure by `failure-cause`.
 * An unknown queue status is reported and treated as still in progress.
 */
export const savepointOperationSchema = z
  .object({
    status: z.object({ id: queueStatusSchema }),
    operation: z
      .object({ location: z.string().nullish(), "failure-cause": serializedThrowableSchema.nullish() })
      .nullish(),
  })
  .transform((r): SavepointOperationResult => {
    if (r.status.id !== "COMPLETED") return { state: "IN_PROGRESS", queueStatus: r.status.id };
    const failure = r.operation?.["failure-cause"];
    if (failure) return { state: "FAILED", failureCause: failure };
    const location = r.operation?.location;
    if (location) return { state: "SUCCEEDED", location };
    return {
      state: "FAILED",
      failureCause: { className: undefined, message: "operation completed without a savepoint location", stackTrace: undefined },
    };
  });
