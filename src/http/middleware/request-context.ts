import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { Logger } from "../../logging/logger.ts";
import type { AppEnv } from "../env.ts";

const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RequestRecord {
  /** The route template (`/v1/tokens/{id}`), `unmatched` when no route matched: never a raw path. */
  route: string;
  method: string;
  status: number;
  seconds: number;
}

/** The template of the handler that served the request, in OpenAPI form. */
export function routeTemplate(c: Parameters<MiddlewareHandler>[0]): string {
  const handler = matchedRoutes(c).findLast((r) => r.method !== "ALL");
  if (!handler) return "unmatched";
  return handler.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");
}

/**
 * Gives every request an id (the caller's `X-Request-Id` when it is sane),
 * a child logger carrying it, the id on the response, and one log line when
 * the request ends.
 */
export function requestContext(deps: { logger: Logger; onRequest?: (record: RequestRecord) => void }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const offered = c.req.header("x-request-id");
    const requestId = offered && ACCEPTABLE_REQUEST_ID.test(offered) ? offered : randomUUID();
    const logger = deps.logger.child({ requestId });
    c.set("requestId", requestId);
    c.set("logger", logger);
    await next();
    c.res.headers.set("x-request-id", requestId);
    const record: RequestRecord = {
      route: routeTemplate(c),
      method: c.req.method,
      status: c.res.status,
      seconds: (performance.now() - started) / 1000,
    };
    deps.onRequest?.(record);
    const level = record.status >= 500 ? "error" : "info";
    logger[level](
      { method: record.method, path: c.req.path, route: record.route, status: record.status, ms: Math.round(record.seconds * 1000) },
      "request",
    );
  };
}
