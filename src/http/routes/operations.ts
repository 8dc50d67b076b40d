import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { OperationService } from "../../runs/operation-service.ts";
import type { Context } from "hono";
import { type Operation, operationResource } from "../../store/operation-repository.ts";
import { requireScope } from "../middleware/auth.ts";
import type { AppEnv } from "../env.ts";
import { bearerSecurity, errorResponses, idempotencyHeader, jsonContent, READ_ERRORS, WRITE_ERRORS } from "../openapi.ts";
import { OperationSchema } from "../schemas/run-schemas.ts";

const runIdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });
const directory = z.string().min(1).max(2048).optional().openapi({ description: "Where to write the savepoint; the cluster's `state.savepoints.dir` when absent." });

const SavepointBody = z.strictObject({ targetDirectory: directory }).openapi("SavepointRequest");
const StopBody = z
  .strictObject({
    targetDirectory: directory,
    drain: z.boolean().default(false).openapi({ description: "Emit MAX_WATERMARK before stopping, ending event-time windows." }),
  })
  .openapi("StopRequest");

const accepted = { 202: jsonContent(OperationSchema, "Accepted: follow the operation until SUCCEEDED or FAILED"), ...errorResponses(...WRITE_ERRORS, 404, 502) };
const common = { tags: ["operations"], security: bearerSecurity, middleware: [requireScope("runs:write")] };

/** 202 with the operation and where to follow it. */
function accepted202(c: Context<AppEnv>, op: Operation) {
  c.header("location", `/v1/operations/${op.id}`);
  return c.json(operationResource(op), 202);
}

export function operationRoutes(deps: { operations: OperationService }) {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        ...common,
        method: "post",
        path: "/v1/runs/{id}/savepoints",
        summary: "Trigger a savepoint",
        request: { params: runIdParam, headers: idempotencyHeader, body: { required: false, content: { "application/json": { schema: SavepointBody } } } },
        responses: accepted,
      }),
      async (c) => accepted202(c, await deps.operations.savepoint(c.req.valid("param").id, c.req.valid("json") ?? {})),
    )
    .openapi(
      createRoute({
        ...common,
        method: "post",
        path: "/v1/runs/{id}/stop",
        summary: "Stop the job with a savepoint",
        request: { params: runIdParam, headers: idempotencyHeader, body: { required: false, content: { "application/json": { schema: StopBody } } } },
        responses: accepted,
      }),
      async (c) => accepted202(c, await deps.operations.stop(c.req.valid("param").id, c.req.valid("json") ?? {})),
    )
    .openapi(
      createRoute({
        ...common,
        method: "post",
        path: "/v1/runs/{id}/cancel",
        summary: "Cancel the job (a YARN application whose cluster cannot be reached is killed through the RM)",
        request: { params: runIdParam, headers: idempotencyHeader },
        responses: accepted,
      }),
      async (c) => accepted202(c, await deps.operations.cancel(c.req.valid("param").id)),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/v1/operations/{id}",
        tags: ["operations"],
        security: bearerSecurity,
        middleware: [requireScope("runs:read")],
        summary: "Get an operation",
        request: { params: runIdParam },
        responses: { 200: jsonContent(OperationSchema, "The operation"), ...errorResponses(...READ_ERRORS, 404) },
      }),
      async (c) => c.json(operationResource(await deps.operations.get(c.req.valid("param").id)), 200),
    );
}
