import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";
import type { EmulatorModel } from "./emulator-model.ts";
import type { FlinkCluster } from "./flink-cluster.ts";
import type { FlinkJob } from "./flink-job.ts";
import { flinkBadParameter, flinkJobNotFound } from "./flink-errors.ts";
import { HEX32 } from "./ids.ts";

/** Bindings of one request to a Flink REST endpoint (session cluster, AM address or proxy). */
export type FlinkBindings = HttpBindings & {
  /** Path as the JobManager sees it, without any emulator prefix and without `/v1`. */
  path: string;
  /** The request URI for `Not found: <uri>`. */
  uri: string;
  cluster: FlinkCluster;
  model: EmulatorModel;
};
export type FlinkEnv = { Bindings: FlinkBindings };
export type FlinkContext = Context<FlinkEnv>;

/** Resolves `:jobid` as Flink does: 400 for a malformed id, 404 for an unknown (or expired) job. */
export function withJob(c: FlinkContext, handle: (job: FlinkJob, now: number) => Response | Promise<Response>): Response | Promise<Response> {
  const jobId = c.req.param("jobid") ?? "";
  if (!HEX32.test(jobId)) return flinkBadParameter("jobid", jobId);
  const now = c.env.model.now();
  const job = c.env.cluster.visibleJob(jobId, now);
  return job ? handle(job, now) : flinkJobNotFound(jobId);
}

/** Flink parses request bodies leniently: empty → {}, unknown fields ignored; malformed JSON → 400. */
export async function lenientJson(c: FlinkContext, className: string): Promise<Record<string, unknown> | Response> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to Flink's message
  }
  return new Response(JSON.stringify({ errors: [`Request did not match expected format ${className}.`] }), {
    status: 400,
    headers: { "Content-Type": "application/json; charset=UTF-8" },
  });
}
