import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { sessionTargetSchema, targetSchema, yarnTargetSchema } from "../../domain/target.ts";
import type { StoredTarget } from "../../store/target-repository.ts";
import type { TargetHealthView, TargetService } from "../../targets/target-service.ts";
import type { AppEnv } from "../env.ts";
import { requireScope } from "../middleware/auth.ts";
import { bearerSecurity, errorResponses, idempotencyHeader, jsonContent, READ_ERRORS, WRITE_ERRORS } from "../openapi.ts";
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from "../pagination.ts";
import { applyTargetPatch, REDACTED, redactTarget } from "./target-patch.ts";

const CLI_ENV_DESCRIPTION = `Extra environment of the Flink CLI process (flink-cli launcher), e.g. HADOOP_CONF_DIR or cloud credentials: responses show only the names, each with the value \`"${REDACTED}"\`.`;
const HEADERS_DESCRIPTION = `Sent with every request to the cluster (e.g. the auth header of a fronting proxy). The values are credentials: responses show only the header names, each with the value \`"${REDACTED}"\`.`;

const timestamps = {
  createdAt: z.string().openapi({ format: "date-time" }),
  updatedAt: z.string().openapi({ format: "date-time" }),
};

const TargetSchema = z
  .discriminatedUnion("kind", [
    sessionTargetSchema.extend({ headers: z.record(z.string(), z.string().openapi({ example: REDACTED })).openapi({ description: HEADERS_DESCRIPTION }), ...timestamps }).openapi("SessionTarget"),
    yarnTargetSchema
      .extend({ cliEnv: z.record(z.string(), z.string().openapi({ example: REDACTED })).openapi({ description: CLI_ENV_DESCRIPTION }), ...timestamps })
      .openapi("YarnTarget"),
  ])
  .openapi("Target");

const dateTime = z.string().nullable().openapi({ format: "date-time" });

const TargetHealthSchema = z
  .object({
    consecutiveFailures: z.number().int().nullable().openapi({ description: "Reconcile ticks that failed in a row (transport errors); 0 after a good tick." }),
    errorCount: z.number().int().nullable().openapi({ description: "Failed reconcile ticks since the target was first reconciled." }),
    lastError: z.string().nullable().openapi({ description: "The last transport error, as the upstream client reported it." }),
    lastErrorAt: dateTime,
    lastSuccessAt: dateTime,
    leaseHolder: z.string().nullable().openapi({ description: "The replica (`REPLICA_ID`) that reconciles this target." }),
    leaseExpiresAt: dateTime.openapi({ description: "When the lease lapses unless its holder renews it (every tick); another replica may then take it." }),
  })
  .openapi("TargetHealth", {
    description:
      "The monitor's view of the target. Transport errors back off the target and are counted here; they never change a run. Every field is null until the target was first reconciled (health) or leased (lease).",
  });

const TargetWithHealthSchema = TargetSchema.and(z.object({ health: TargetHealthSchema })).openapi("TargetWithHealth");

const CreateTargetSchema = targetSchema.openapi("CreateTarget", {
  description: `A session cluster (\`kind: session\`) or a YARN cluster (\`kind: yarn\`). \`headers\`: ${HEADERS_DESCRIPTION}`,
});

const TargetPatchSchema = z.record(z.string(), z.unknown()).openapi("TargetPatch", {
  description: `A JSON merge patch (RFC 7396) over the target: a field set to \`null\` returns to its default (or is removed), objects merge key by key, arrays replace. \`name\` and \`kind\` cannot change. A header or CLI environment value sent as \`"${REDACTED}"\` keeps its stored value. The result is validated like a new target.`,
});

const nameParam = z.object({ name: z.string().min(1).max(63).openapi({ param: { name: "name", in: "path" } }) });

export function targetJson(stored: StoredTarget) {
  return { ...redactTarget(stored.target), createdAt: stored.createdAt.toISOString(), updatedAt: stored.updatedAt.toISOString() };
}

function healthJson(health: TargetHealthView | undefined) {
  const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;
  return {
    consecutiveFailures: health?.consecutiveFailures ?? null,
    errorCount: health?.errorCount ?? null,
    lastError: health?.lastError ?? null,
    lastErrorAt: iso(health?.lastErrorAt),
    lastSuccessAt: iso(health?.lastSuccessAt),
    leaseHolder: health?.leaseHolder ?? null,
    leaseExpiresAt: iso(health?.leaseExpiresAt),
  };
}

const read = { tags: ["targets"], security: bearerSecurity, middleware: [requireScope("targets:read")] };
const write = { tags: ["targets"], security: bearerSecurity, middleware: [requireScope("targets:write")] };

export function targetRoutes(deps: { targets: TargetService }) {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        ...write,
        method: "post",
        path: "/v1/targets",
        summary: "Register a target (a Flink session cluster or a YARN cluster)",
        request: { headers: idempotencyHeader, body: { required: true, content: { "application/json": { schema: CreateTargetSchema } } } },
        responses: { 201: jsonContent(TargetSchema, "Created"), ...errorResponses(...WRITE_ERRORS) },
      }),
      async (c) => {
        const stored = await deps.targets.create(c.req.valid("json"));
        c.header("location", `/v1/targets/${stored.target.name}`);
        return c.json(targetJson(stored), 201);
      },
    )
    .openapi(
      createRoute({
        ...read,
        method: "get",
        path: "/v1/targets",
        summary: "List targets, by name",
        request: { query: pageQuerySchema },
        responses: { 200: jsonContent(pageSchema(TargetWithHealthSchema, "TargetPage"), "A page of targets, each with the monitor's view of it"), ...errorResponses(...READ_ERRORS) },
      }),
      async (c) => {
        const { limit, cursor } = c.req.valid("query");
        const after = decodeCursor(cursor, 1)?.[0];
        const rows = await deps.targets.list({ limit: limit + 1, after: after === undefined ? undefined : String(after) });
        const page = toPage(rows, limit, (t) => [t.target.name]);
        const health = await deps.targets.health(page.items.map((t) => t.target.name));
        return c.json({ items: page.items.map((t) => ({ ...targetJson(t), health: healthJson(health.get(t.target.name)) })), nextCursor: page.nextCursor }, 200);
      },
    )
    .openapi(
      createRoute({
        ...read,
        method: "get",
        path: "/v1/targets/{name}",
        summary: "Get a target, with the monitor's view of it (errors, back-off, lease)",
        request: { params: nameParam },
        responses: { 200: jsonContent(TargetWithHealthSchema, "The target"), ...errorResponses(...READ_ERRORS, 404) },
      }),
      async (c) => {
        const stored = await deps.targets.get(c.req.valid("param").name);
        const health = await deps.targets.health([stored.target.name]);
        return c.json({ ...targetJson(stored), health: healthJson(health.get(stored.target.name)) }, 200);
      },
    )
    .openapi(
      createRoute({
        ...write,
        method: "patch",
        path: "/v1/targets/{name}",
        summary: "Change a target (JSON merge patch)",
        request: {
          params: nameParam,
          body: {
            required: true,
            content: { "application/merge-patch+json": { schema: TargetPatchSchema }, "application/json": { schema: TargetPatchSchema } },
          },
        },
        responses: { 200: jsonContent(TargetSchema, "The changed target"), ...errorResponses(...WRITE_ERRORS, 404) },
      }),
      async (c) => {
        const patch = c.req.valid("json");
        const stored = await deps.targets.update(c.req.valid("param").name, (current) => applyTargetPatch(current, patch));
        return c.json(targetJson(stored), 200);
      },
    )
    .openapi(
      createRoute({
        ...write,
        method: "delete",
        path: "/v1/targets/{name}",
        summary: "Delete a target; refused (409) while runs on it have not ended",
        request: { params: nameParam },
        responses: { 204: { description: "Deleted" }, ...errorResponses(...READ_ERRORS, 404, 409) },
      }),
      async (c) => {
        await deps.targets.delete(c.req.valid("param").name);
        return c.body(null, 204);
      },
    );
}
