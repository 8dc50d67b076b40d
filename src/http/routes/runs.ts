import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { GatewayError, ValidationError } from "../../domain/errors.ts";
import { runResource } from "../../domain/run-resource.ts";
import { RUN_STATES, type RunState } from "../../domain/run-state.ts";
import type { RunService } from "../../runs/run-service.ts";
import type { SubmitOutcome } from "../../runs/submit-run.ts";
import { requireScope } from "../middleware/auth.ts";
import type { AppEnv } from "../env.ts";
import { bearerSecurity, errorResponses, idempotencyHeader, jsonContent, READ_ERRORS, WRITE_ERRORS } from "../openapi.ts";
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from "../pagination.ts";
import { EventSchema, InlineRunSchema, RunOverridesSchema, RunSchema } from "../schemas/run-schemas.ts";
import type { StoredEvent } from "../../store/event-repository.ts";

const runIdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });
const jobNameParam = z.object({ name: z.string().min(1).max(128).openapi({ param: { name: "name", in: "path" } }) });

const listQuery = pageQuerySchema.extend({
  state: z.string().optional().openapi({ description: "Comma-separated states, e.g. `RUNNING,FAILED`." }),
  job: z.string().optional(),
  target: z.string().optional(),
  label: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .openapi({ description: "`key=value`; repeat for several labels (all must match)." }),
});

function parseStates(text: string | undefined): RunState[] | undefined {
  if (text === undefined) return undefined;
  const states = text.split(",").map((s) => s.trim().toUpperCase()).filter((s) => s !== "");
  const bad = states.filter((s) => !RUN_STATES.includes(s as RunState));
  if (bad.length > 0) throw new ValidationError([{ field: "query.state", message: `unknown state(s) ${bad.join(", ")}; expected ${RUN_STATES.join(", ")}` }]);
  return states as RunState[];
}

function parseLabels(value: string | string[] | undefined): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const labels: Record<string, string> = {};
  for (const pair of Array.isArray(value) ? value : [value]) {
    const at = pair.search(/[=:]/);
    if (at <= 0) throw new ValidationError([{ field: "query.label", message: `'${pair}' is not key=value` }]);
    labels[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return labels;
}

/** 201 once submitted; 202 while it is not yet known whether the cluster got it; a problem (with the stored run) when it failed. */
function submitted(c: Context<AppEnv>, outcome: SubmitOutcome | { kind: "superseded"; run: import("../../domain/run.ts").Run }) {
  if (outcome.kind === "failed") {
    const { error, run } = outcome;
    throw new GatewayError({
      status: error.status,
      type: error.type,
      title: error.title,
      detail: `run ${run.id} failed to submit: ${run.failureCause ?? error.message}`,
      extra: { ...error.extra, runId: run.id, run: runResource(run) },
    });
  }
  const run = outcome.run;
  if (!run) throw new Error("a submitted run has no row");
  c.header("location", `/v1/runs/${run.id}`);
  return outcome.kind === "undetermined" ? c.json(runResource(run), 202) : c.json(runResource(run), 201);
}

const createResponses = {
  201: jsonContent(RunSchema, "Submitted: the run is DEPLOYING"),
  202: jsonContent(RunSchema, "Sent, but the cluster's answer was lost: the run stays SUBMITTING until flinkgate has checked"),
  ...errorResponses(...WRITE_ERRORS, 404, 502),
};

export function runRoutes(deps: { runs: RunService }) {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: "post",
        path: "/v1/jobs/{name}/runs",
        tags: ["runs"],
        security: bearerSecurity,
        middleware: [requireScope("runs:write")],
        summary: "Run a stored job (its latest version), with optional per-run overrides",
        request: { params: jobNameParam, headers: idempotencyHeader, body: { required: false, content: { "application/json": { schema: RunOverridesSchema } } } },
        responses: createResponses,
      }),
      async (c) => submitted(c, await deps.runs.createFromJob(c.req.valid("param").name, c.req.valid("json") ?? {})),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/v1/runs",
        tags: ["runs"],
        security: bearerSecurity,
        middleware: [requireScope("runs:write")],
        summary: "Run a one-off job given inline",
        request: { headers: idempotencyHeader, body: { required: true, content: { "application/json": { schema: InlineRunSchema } } } },
        responses: createResponses,
      }),
      async (c) => {
        const body = c.req.valid("json");
        return submitted(c, await deps.runs.createInline(body.job, { callbackUrl: body.callbackUrl, labels: body.labels, fromRun: body.fromRun }));
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/v1/runs",
        tags: ["runs"],
        security: bearerSecurity,
        middleware: [requireScope("runs:read")],
        summary: "List runs, newest first",
        request: { query: listQuery },
        responses: { 200: jsonContent(pageSchema(RunSchema, "RunPage"), "A page of runs"), ...errorResponses(...READ_ERRORS) },
      }),
      async (c) => {
        const query = c.req.valid("query");
        const before = decodeCursor(query.cursor, 1)?.[0];
        const filter = { states: parseStates(query.state), job: query.job, target: query.target, labels: parseLabels(query.label) };
        const rows = await deps.runs.list(filter, { limit: query.limit + 1, before: before === undefined ? undefined : String(before) });
        const page = toPage(rows, query.limit, (r) => [r.id]);
        return c.json({ items: page.items.map(runResource), nextCursor: page.nextCursor }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/v1/runs/{id}",
        tags: ["runs"],
        security: bearerSecurity,
        middleware: [requireScope("runs:read")],
        summary: "Get a run",
        request: { params: runIdParam },
        responses: { 200: jsonContent(RunSchema, "The run"), ...errorResponses(...READ_ERRORS, 404) },
      }),
      async (c) => c.json(runResource(await deps.runs.get(c.req.valid("param").id)), 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/v1/runs/{id}/plan",
        tags: ["runs"],
        security: bearerSecurity,
        middleware: [requireScope("runs:read")],
        summary: "The Flink job graph, kept after the cluster is gone",
        request: { params: runIdParam },
        responses: { 200: jsonContent(z.record(z.string(), z.unknown()).openapi("JobPlan"), "Flink's plan of the job"), ...errorResponses(...READ_ERRORS, 404) },
      }),
      async (c) => c.json(await deps.runs.plan(c.req.valid("param").id), 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/v1/runs/{id}/events",
        tags: ["runs"],
        security: bearerSecurity,
        middleware: [requireScope("runs:read")],
        summary: "The run's events (state changes, operations), oldest first",
        request: { params: runIdParam, query: pageQuerySchema },
        responses: { 200: jsonContent(pageSchema(EventSchema, "EventPage"), "A page of events"), ...errorResponses(...READ_ERRORS, 404) },
      }),
      async (c) => {
        const { limit, cursor } = c.req.valid("query");
        const after = Number(decodeCursor(cursor, 1)?.[0] ?? 0);
        const rows = await deps.runs.events(c.req.valid("param").id, { afterSeq: after, limit: limit + 1 });
        const page = toPage(rows, limit, (e) => [e.seq]);
        return c.json({ items: page.items.map(eventJson), nextCursor: page.nextCursor }, 200);
      },
    );
}

export function eventJson(event: StoredEvent) {
  return { id: event.id, seq: event.seq, type: event.type, timestamp: event.timestamp.toISOString(), data: event.data };
}
