import { setTimeout as delay } from "node:timers/promises";
import type { z } from "zod";
import { FormData } from "undici";
import { UnsupportedUpstreamOperationError, UpstreamError } from "../domain/errors.ts";
import type { UpstreamName } from "../domain/errors.ts";
import { expectJson, expectSuccess } from "../upstream/decode-response.ts";
import type { FastDecoder } from "../upstream/decode-response.ts";
import { joinUrl, renderPath } from "../upstream/join-url.ts";
import type { Query } from "../upstream/join-url.ts";
import type { UnknownValueListener } from "../upstream/lenient-enum.ts";
import { UpstreamHttp } from "../upstream/upstream-http.ts";
import type { Decoder, UpstreamHttpOptions } from "../upstream/upstream-http.ts";
import { checkpointingStatisticsSchema } from "./flink-checkpoint-schemas.ts";
import type { FlinkCheckpointStats } from "./flink-checkpoint-schemas.ts";
import { clusterOverviewSchema, dashboardConfigSchema, jarListSchema, jarRunResponseSchema, jarUploadResponseSchema } from "./flink-cluster-schemas.ts";
import type { FlinkClusterOverview, FlinkDashboardConfig, FlinkJar, FlinkJarUpload } from "./flink-cluster-schemas.ts";
import { jobDetailSchema, jobExceptionsSchema, jobPlanSchema, jobStatusInfoSchema, jobsOverviewSchema } from "./flink-job-schemas.ts";
import type { FlinkJobDetail, FlinkJobExceptions, FlinkJobSummary, FlinkPlan } from "./flink-job-schemas.ts";
import { decodeJobsOverview } from "./flink-jobs-overview-decoder.ts";
import type { FlinkJobStatus } from "./flink-enums.ts";
import { savepointOperationSchema, triggerResponseSchema } from "./flink-operation-schemas.ts";
import type { SavepointOperationResult } from "./flink-operation-schemas.ts";
import { jarRunBody, savepointTriggerBody, stopWithSavepointBody } from "./flink-request-bodies.ts";
import type { JarRunInput, SavepointInput } from "./flink-request-bodies.ts";
import { flinkRoutes } from "./flink-routes.ts";
import type { FlinkRouteName } from "./flink-routes.ts";
import { parseFlinkVersion } from "./flink-version.ts";
import type { FlinkVersion } from "./flink-version.ts";

/**
 * Where the REST API is reached:
 * - `jobmanager`: directly; everything allowed.
 * - `yarn-proxy`: `http://rm:8088/proxy/<appId>/`; the proxy forwards only GET
 *   and PUT (NOTES-flink-on-yarn.md), so writes are refused before sending and
 *   cancel goes through `GET /jobs/:id/yarn-cancel`.
 * - `history-server`: archived read endpoints only, and no `/v1` prefix.
 */
export type FlinkEndpointKind = "jobmanager" | "yarn-proxy" | "history-server";

export interface FlinkClientOptions {
  baseUrl: string;
  kind?: FlinkEndpointKind;
  /** A shared pool (not closed by `close()`), or options for an own one. */
  http?: UpstreamHttp | Omit<UpstreamHttpOptions, "upstream">;
  /** Skip learning the version from `/config`. */
  flinkVersion?: string;
  /** Prefix paths with `/v1` (default: true except on the History Server, which does not understand it). */
  versionPrefix?: boolean;
  onUnknownValue?: UnknownValueListener;
}

export interface AwaitOptions {
  pollIntervalMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export class FlinkClient {
  readonly baseUrl: string;
  readonly kind: FlinkEndpointKind;
  private readonly http: UpstreamHttp;
  private readonly ownsHttp: boolean;
  private readonly prefix: string;
  private readonly onUnknownValue: UnknownValueListener | undefined;
  private version: Promise<FlinkVersion | undefined> | undefined;

  constructor(opts: FlinkClientOptions) {
    this.baseUrl = opts.baseUrl;
    this.kind = opts.kind ?? "jobmanager";
    const upstream: UpstreamName = this.kind === "history-server" ? "history-server" : "flink";
    this.ownsHttp = !(opts.http instanceof UpstreamHttp);
    this.http = opts.http instanceof UpstreamHttp ? opts.http : new UpstreamHttp({ ...opts.http, upstream });
    this.prefix = (opts.versionPrefix ?? this.kind !== "history-server") ? "/v1" : "";
    this.onUnknownValue = opts.onUnknownValue;
    if (opts.flinkVersion !== undefined) this.version = Promise.resolve(parseFlinkVersion(opts.flinkVersion));
  }

  async getConfig(): Promise<FlinkDashboardConfig> {
    const config = await this.call("config", {}, this.json(dashboardConfigSchema));
    this.version ??= Promise.resolve(parseFlinkVersion(config.flinkVersion));
    return config;
  }

  /** The cluster's version, learned once from `/config`; undefined if unparsable. A failed probe is retried next time. */
  async flinkVersion(): Promise<FlinkVersion | undefined> {
    if (!this.version) {
      const probe = this.getConfig().then((c) => parseFlinkVersion(c.flinkVersion));
      this.version = probe;
      probe.catch(() => {
        if (this.version === probe) this.version = undefined;
      });
    }
    return this.version;
  }

  getOverview(): Promise<FlinkClusterOverview> {
    return this.call("overview", {}, this.json(clusterOverviewSchema));
  }

  /** All jobs the endpoint knows (`/jobs/overview`), terminal ones included. */
  listJobs(): Promise<FlinkJobSummary[]> {
    return this.call("jobsOverview", {}, this.json(jobsOverviewSchema, decodeJobsOverview));
  }

  getJob(jobId: string): Promise<FlinkJobDetail> {
    return this.call("jobDetail", { jobid: jobId }, this.json(jobDetailSchema));
  }

  getJobStatus(jobId: string): Promise<FlinkJobStatus> {
    return this.call("jobStatus", { jobid: jobId }, this.json(jobStatusInfoSchema));
  }

  getJobPlan(jobId: string): Promise<FlinkPlan> {
    return this.call("jobPlan", { jobid: jobId }, this.json(jobPlanSchema));
  }

  getJobExceptions(jobId: string, opts: { maxExceptions?: number } = {}): Promise<FlinkJobExceptions> {
    return this.call("jobExceptions", { jobid: jobId }, this.json(jobExceptionsSchema), { query: { maxExceptions: opts.maxExceptions } });
  }

  /** Checkpoint statistics, or null when the job has checkpointing disabled (Flink answers 404 for that). */
  async getJobCheckpoints(jobId: string): Promise<FlinkCheckpointStats | null> {
    try {
      return await this.call("jobCheckpoints", { jobid: jobId }, this.json(checkpointingStatisticsSchema));
    } catch (err) {
      if (isNotFoundSaying(err, "Checkpointing has not been enabled")) return null;
      throw err;
    }
  }

  listJars(): Promise<FlinkJar[]> {
    return this.call("jarList", {}, this.json(jarListSchema));
  }

  /** Multipart upload; Flink ignores the part name and wants a `.jar` file name. */
  uploadJar(file: { fileName: string; content: Blob }): Promise<FlinkJarUpload> {
    const form = new FormData();
    form.append("jarfile", new Blob([file.content], { type: "application/x-java-archive" }), file.fileName);
    return this.call("jarUpload", {}, this.json(jarUploadResponseSchema), { body: form });
  }

  async deleteJar(jarId: string): Promise<void> {
    await this.call("jarDelete", { jarid: jarId }, expectSuccess());
  }

  /** Runs the jar's main() inside the JobManager; the job may still be INITIALIZING when this returns. */
  async runJar(jarId: string, input: JarRunInput): Promise<{ jobId: string; applicationId: string | undefined }> {
    this.assertAllowed("jarRun");
    const body = jarRunBody(input, await this.flinkVersion(), this.refuser("jarRun"));
    return this.call("jarRun", { jarid: jarId }, this.json(jarRunResponseSchema), { body });
  }

  /** Requests cancellation (202); poll the job until CANCELED. Through the RM proxy uses `yarn-cancel`. */
  async cancelJob(jobId: string): Promise<void> {
    if (this.kind === "yarn-proxy") await this.call("jobYarnCancel", { jobid: jobId }, expectSuccess(), { retry: false });
    else await this.call("jobCancel", { jobid: jobId }, expectSuccess(), { query: { mode: "cancel" } });
  }

  /** Returns the trigger id; follow it with `getSavepointStatus` / `awaitSavepoint`. */
  async triggerSavepoint(jobId: string, input: SavepointInput & { cancelJob?: boolean } = {}): Promise<string> {
    this.assertAllowed("savepointTrigger");
    const body = savepointTriggerBody(input, await this.flinkVersion(), this.refuser("savepointTrigger"));
    return this.call("savepointTrigger", { jobid: jobId }, this.json(triggerResponseSchema), { body });
  }

  /** Stop-with-savepoint; the result is read on the savepoint status URL and the job ends FINISHED. */
  async stopWithSavepoint(jobId: string, input: SavepointInput & { drain?: boolean } = {}): Promise<string> {
    this.assertAllowed("jobStop");
    const body = stopWithSavepointBody(input, await this.flinkVersion(), this.refuser("jobStop"));
    return this.call("jobStop", { jobid: jobId }, this.json(triggerResponseSchema), { body });
  }

  getSavepointStatus(jobId: string, triggerId: string): Promise<SavepointOperationResult> {
    return this.call("savepointStatus", { jobid: jobId, triggerid: triggerId }, this.json(savepointOperationSchema));
  }

  /** Polls until the savepoint / stop operation completes; returns the last IN_PROGRESS status if `timeoutMs` passes first. */
  async awaitSavepoint(jobId: string, triggerId: string, opts: AwaitOptions = {}): Promise<SavepointOperationResult> {
    const now = opts.now ?? Date.now;
    const sleep = opts.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
    const deadline = now() + (opts.timeoutMs ?? 10 * 60_000);
    for (;;) {
      const result = await this.getSavepointStatus(jobId, triggerId);
      if (result.state !== "IN_PROGRESS" || now() >= deadline) return result;
      await sleep(opts.pollIntervalMs ?? 1_000, opts.signal);
    }
  }

  async close(): Promise<void> {
    if (this.ownsHttp) await this.http.close();
  }

  private json<S extends z.ZodType>(schema: S, fast?: FastDecoder<z.output<S>>): Decoder<z.output<S>> {
    return expectJson(schema, this.onUnknownValue, fast);
  }

  private async call<T>(
    name: FlinkRouteName,
    params: Record<string, string>,
    decode: Decoder<T>,
    opts: { query?: Query; body?: unknown; retry?: boolean } = {},
  ): Promise<T> {
    this.assertAllowed(name);
    const route = flinkRoutes[name];
    const url = joinUrl(this.baseUrl, this.prefix + renderPath(route.path, params), opts.query);
    return this.http.call({ method: route.method, url, body: opts.body, ...(opts.retry === false && { retry: false }) }, decode);
  }

  private assertAllowed(name: FlinkRouteName): void {
    const route = flinkRoutes[name];
    if (this.kind === "history-server" && !route.historyServer) {
      this.refuser(name)("the History Server serves only archived read endpoints");
    }
    if (this.kind === "yarn-proxy" && route.method !== "GET") {
      this.refuser(name)(`the YARN RM proxy does not forward ${route.method}; use the JobManager address (amRPCAddress)`);
    }
  }

  private refuser(name: FlinkRouteName): (reason: string) => never {
    return (reason) => {
      throw new UnsupportedUpstreamOperationError({
        upstream: this.kind === "history-server" ? "history-server" : "flink",
        operation: `${flinkRoutes[name].method} ${flinkRoutes[name].path}`,
        reason,
      });
    };
  }
}

function isNotFoundSaying(err: unknown, text: string): boolean {
  if (!(err instanceof UpstreamError) || err.failure !== "not-found") return false;
  return [err.upstreamMessage, err.upstreamDetail].some((m) => m?.includes(text));
}
