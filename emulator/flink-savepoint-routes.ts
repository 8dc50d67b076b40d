import { Hono } from "hono";
import type { SavepointOp } from "./flink-cluster.ts";
import { flinkBadParameter, flinkHandlerError, flinkJson } from "./flink-errors.ts";
import { lenientJson, type FlinkContext, type FlinkEnv } from "./flink-env.ts";
import { savepointStatus } from "./flink-failure-json.ts";
import { HEX32, randomHex32 } from "./ids.ts";

/** Savepoint trigger, stop-with-savepoint and their status (flink/NOTES.md "Async operation pattern"). */
export const flinkSavepointRoutes = new Hono<FlinkEnv>();

flinkSavepointRoutes.post("/jobs/:jobid/savepoints", (c) => trigger(c, "savepoint"));
flinkSavepointRoutes.post("/jobs/:jobid/stop", (c) => trigger(c, "stop"));

flinkSavepointRoutes.get("/jobs/:jobid/savepoints/:triggerid", (c) => {
  const jobId = c.req.param("jobid");
  const triggerId = c.req.param("triggerid");
  if (!HEX32.test(jobId)) return flinkBadParameter("jobid", jobId);
  if (!HEX32.test(triggerId)) return flinkBadParameter("triggerid", triggerId);
  const now = c.env.model.now();
  const op = c.env.cluster.savepointFor(jobId, triggerId, now);
  if (!op) {
    return flinkHandlerError(404, `There is no savepoint operation with triggerId=${triggerId} for job ${jobId}.`, [], "org.apache.flink.runtime.rest.NotFoundException");
  }
  return flinkJson(savepointStatus(op, now));
});

async function trigger(c: FlinkContext, kind: "savepoint" | "stop"): Promise<Response> {
  const { cluster, model } = c.env;
  const jobId = c.req.param("jobid") ?? "";
  if (!HEX32.test(jobId)) return flinkBadParameter("jobid", jobId);
  const body = await lenientJson(c, kind === "stop" ? "StopWithSavepointRequestBody" : "SavepointTriggerRequestBody");
  if (body instanceof Response) return body;
  // Field names differ on purpose: `targetDirectory` for stop, `target-directory` for trigger.
  const dirField = kind === "stop" ? "targetDirectory" : "target-directory";
  const now = model.now();
  const job = cluster.visibleJob(jobId, now);
  const dirKey = cluster.features.savepointDirKey;
  const directory = asString(body[dirField]) ?? job?.config[dirKey] ?? cluster.options.savepointDir;
  if (!directory) return flinkHandlerError(400, `Config key [${dirKey}] is not set. Property [${dirField}] must be provided.`);

  const requested = asString(body.triggerId);
  if (requested !== undefined && !HEX32.test(requested)) {
    return flinkJson({ errors: [`Request did not match expected format ${kind === "stop" ? "StopWithSavepointRequestBody" : "SavepointTriggerRequestBody"}.`] }, 400);
  }
  // A retried trigger with the same triggerId is deduplicated while its result is kept.
  if (requested && cluster.savepointFor(jobId, requested, now)) return flinkJson({ "request-id": requested }, 202);
  const triggerId = requested ?? randomHex32();
  const op: SavepointOp = { triggerId, jobId, requestedAt: now, completesAt: now, location: null, failure: null };

  const state = job?.stateAt(now);
  if (!job) {
    // Triggering against an unknown job still answers 202; the failure shows in the status.
    op.failure = { className: "org.apache.flink.runtime.messages.FlinkJobNotFoundException", message: `Could not find Flink job (${jobId})` };
  } else if (state !== "RUNNING") {
    op.failure = {
      className: "org.apache.flink.runtime.checkpoint.CheckpointException",
      message: "Checkpoint triggering task Source: Emulated Source (1/1) of job " + jobId + " is not being executed at the moment. Aborting checkpoint. Failure reason: Not all required tasks are currently running.",
    };
  } else {
    op.completesAt = now + job.script.savepointMs;
    if (job.script.savepointFailure) {
      op.failure = { className: "org.apache.flink.runtime.checkpoint.CheckpointException", message: job.script.savepointFailure };
    } else {
      op.location = `${directory.replace(/\/$/, "")}/savepoint-${jobId.slice(0, 6)}-${randomHex32().slice(0, 12)}`;
      const cancelJob = body["cancel-job"] === true;
      // A successful stop ends the job FINISHED (not CANCELED); cancel-job ends it CANCELED.
      if (kind === "stop" || cancelJob) {
        job.endAt(op.completesAt, kind === "stop" ? "FINISHED" : "CANCELED");
        cluster.changed(job);
      }
    }
  }
  cluster.savepoints.set(`${jobId}/${triggerId}`, op);
  return flinkJson({ "request-id": triggerId }, 202);
}

function asString(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}
