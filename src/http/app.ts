import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { methodNotAllowed } from "hono/method-not-allowed";
import type { ArtifactService } from "../artifacts/artifact-service.ts";
import type { TokenService } from "../auth/token-service.ts";
import type { Clock } from "../domain/clock.ts";
import { GatewayError, NotFoundError } from "../domain/errors.ts";
import type { JobService } from "../jobs/job-service.ts";
import type { Logger } from "../logging/logger.ts";
import type { OperationService } from "../runs/operation-service.ts";
import type { RunService } from "../runs/run-service.ts";
import type { TargetService } from "../targets/target-service.ts";
import type { AppEnv } from "./env.ts";
import { authenticate } from "./middleware/auth.ts";
import { limitBody, requireJsonBody } from "./middleware/body-guard.ts";
import { idempotency, type IdempotencyStore } from "./middleware/idempotency.ts";
import { type RequestRecord, requestContext } from "./middleware/request-context.ts";
import { problemResponse, toGatewayError } from "./problem.ts";
import { artifactRoutes } from "./routes/artifacts.ts";
import { docsRoutes } from "./routes/docs.ts";
import { healthRoutes, type Readiness } from "./routes/health.ts";
import { jobRoutes } from "./routes/jobs.ts";
import { operationRoutes } from "./routes/operations.ts";
import { runRoutes } from "./routes/runs.ts";
import { targetRoutes } from "./routes/targets.ts";
import { tokenRoutes } from "./routes/tokens.ts";
import { validationHook } from "./validation.ts";

export interface MetricsEndpoint {
  contentType: string;
  render(): Promise<string>;
  observeHttpRequest(record: RequestRecord): void;
}

export interface AppDeps {
  logger: Logger;
  clock: Clock;
  tokens: TokenService;
  idempotency: IdempotencyStore;
  readiness: () => Promise<Readiness>;
  metrics?: MetricsEndpoint;
  bodyLimitBytes: number;
  targets: TargetService;
  jobs: JobService;
  artifacts: ArtifactService;
  runs: RunService;
  operations: OperationService;
}

export const OPENAPI_INFO = {
  openapi: "3.1.0",
  info: {
    title: "flinkgate",
    version: "1",
    description:
      "An API-first gateway for the whole life of Apache Flink jobs. Every /v1 route needs `Authorization: Bearer <token>`; errors are RFC 9457 problem+json; lists are cursor-paged; POSTs that create honour `Idempotency-Key`.",
  },
};

/** Paths whose POST takes multipart/form-data instead of JSON. */
const MULTIPART_PATHS = [/^\/v1\/artifacts$/];

function isMultipartUpload(c: Context<AppEnv>): boolean {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  return type === "multipart/form-data" && MULTIPART_PATHS.some((p) => p.test(c.req.path));
}

/**
 * Uploads stream to disk under their own limit (ARTIFACT_MAX_SIZE). The JSON
 * body limit and the Idempotency-Key hash would both hold the whole body in
 * memory first; uploads are content-addressed, so a retry is already safe.
 */
function unlessUpload(middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return (c, next) => (isMultipartUpload(c) ? next() : middleware(c, next));
}

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "A token from POST /v1/tokens, or the bootstrap admin token.",
  });

  app.use("*", requestContext({ logger: deps.logger, onRequest: (r) => deps.metrics?.observeHttpRequest(r) }));
  app.use(
    "*",
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        problemResponse(
          c,
          new GatewayError({
            status: 405,
            type: "method-not-allowed",
            title: "Method not allowed",
            detail: `${c.req.method} is not allowed on ${c.req.path}; allowed: ${methods.join(", ")}`,
          }),
          { allow: methods.join(", ") },
        ),
    }),
  );
  app.use("*", unlessUpload(limitBody(deps.bodyLimitBytes)), requireJsonBody({ multipartPaths: MULTIPART_PATHS }));
  app.use("/v1/*", authenticate(deps.tokens), unlessUpload(idempotency(deps.idempotency)));

  app.route("/", healthRoutes({ readiness: deps.readiness }));
  app.route("/", docsRoutes());
  app.route("/", tokenRoutes({ tokens: deps.tokens, clock: deps.clock }));
  app.route("/", targetRoutes({ targets: deps.targets }));
  app.route("/", jobRoutes({ jobs: deps.jobs }));
  app.route("/", artifactRoutes({ artifacts: deps.artifacts }));
  app.route("/", runRoutes({ runs: deps.runs }));
  app.route("/", operationRoutes({ operations: deps.operations }));
  const metrics = deps.metrics;
  if (metrics) {
    app.get("/metrics", async (c) => c.body(await metrics.render(), 200, { "content-type": metrics.contentType }));
  }
  app.doc31("/openapi.json", OPENAPI_INFO);

  app.notFound((c) => problemResponse(c, new NotFoundError("route", `${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    const problem = toGatewayError(error);
    if (problem.status >= 500) c.get("logger")?.error({ err: error }, "request failed");
    return problemResponse(c, problem);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;

export function openApiDocument(app: App) {
  return app.getOpenAPI31Document(OPENAPI_INFO);
}
