import { Hono } from "hono";
import { flinkInternalError, flinkRouteNotFound } from "./flink-errors.ts";
import type { FlinkBindings, FlinkEnv } from "./flink-env.ts";
import { flinkJarRoutes } from "./flink-jar-routes.ts";
import { flinkJobRoutes } from "./flink-job-routes.ts";
import { flinkSavepointRoutes } from "./flink-savepoint-routes.ts";

/**
 * The JobManager REST API, shared by every emulated JobManager: standalone session
 * clusters, AM clusters at their own port, and the same AMs behind the RM proxy. The
 * cluster comes in the bindings; `path` is the path with any emulator prefix and the
 * optional `/v1` version prefix already removed.
 */
export function createFlinkApp(): Hono<FlinkEnv> {
  const app = new Hono<FlinkEnv>({
    getPath: (req, options) => (options?.env as FlinkBindings | undefined)?.path ?? new URL(req.url).pathname,
  });
  app.route("/", flinkJobRoutes);
  app.route("/", flinkJarRoutes);
  app.route("/", flinkSavepointRoutes);
  app.notFound((c) => flinkRouteNotFound(c.env.uri));
  app.onError((error) => flinkInternalError(error instanceof Error ? (error.stack ?? error.message) : String(error)));
  return app;
}

/** Flink serves every path with and without `/v1`; any other version prefix is simply unknown (404). */
export function stripVersionPrefix(path: string): string {
  if (path === "/v1") return "/";
  return path.startsWith("/v1/") ? path.slice(3) : path;
}
