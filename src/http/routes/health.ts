import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../env.ts";
import { jsonContent } from "../openapi.ts";

export interface Readiness {
  database: "ok" | "unreachable";
  migrations: "ok" | "pending" | "unknown";
}

const HealthSchema = z.object({ status: z.literal("ok") }).openapi("Health");
const ReadinessSchema = z
  .object({
    status: z.enum(["ready", "not-ready"]),
    checks: z.object({ database: z.enum(["ok", "unreachable"]), migrations: z.enum(["ok", "pending", "unknown"]) }),
  })
  .openapi("Readiness");

const healthz = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["health"],
  summary: "Liveness: the process is up",
  responses: { 200: jsonContent(HealthSchema, "Alive") },
});

const readyz = createRoute({
  method: "get",
  path: "/readyz",
  tags: ["health"],
  summary: "Readiness: the database is reachable and fully migrated",
  responses: { 200: jsonContent(ReadinessSchema, "Ready"), 503: jsonContent(ReadinessSchema, "Not ready") },
});

export function healthRoutes(deps: { readiness: () => Promise<Readiness> }) {
  return new OpenAPIHono<AppEnv>()
    .openapi(healthz, (c) => c.json({ status: "ok" as const }, 200))
    .openapi(readyz, async (c) => {
      const checks = await deps.readiness();
      const ready = checks.database === "ok" && checks.migrations === "ok";
      return ready ? c.json({ status: "ready" as const, checks }, 200) : c.json({ status: "not-ready" as const, checks }, 503);
    });
}
