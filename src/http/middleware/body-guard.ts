import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { GatewayError } from "../../domain/errors.ts";
import type { AppEnv } from "../env.ts";

const WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

/**
 * HTTP/1.1: a request has a body when it says so with Content-Length or
 * Transfer-Encoding. A Request built in-process (tests, `app.request`) has
 * neither header, so its (small) body is read to find out.
 */
async function hasBody(c: { req: { raw: Request; text(): Promise<string> } }): Promise<boolean> {
  const { headers, body } = c.req.raw;
  const length = headers.get("content-length");
  if (length !== null) return Number(length) > 0;
  if (headers.has("transfer-encoding")) return true;
  if (body === null) return false;
  return (await c.req.text()) !== "";
}

/**
 * Makes the validator read `{}`. Hono keeps the body it has read in
 * `bodyCache` as promises (its types say plain values) and derives json() from
 * the cached text.
 */
function readAsEmptyObject(request: { bodyCache: object }): void {
  (request.bodyCache as Record<string, unknown>).text = Promise.resolve("{}");
}

/** Rejects a body over the limit with 413, whatever its content type. */
export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new GatewayError({
        status: 413,
        type: "payload-too-large",
        title: "Payload too large",
        detail: `the request body exceeds the limit of ${maxBytes} bytes`,
        extra: { limitBytes: maxBytes },
      });
    },
  });
}

/**
 * Every body sent to the API is JSON unless a route says it takes multipart
 * (artifact uploads): anything else is 415, and JSON that does not parse is
 * 400 — both before a handler runs. The parsed text stays cached on the
 * request for the validator and the idempotency check.
 */
export function requireJsonBody(options: { multipartPaths: RegExp[] }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!WITH_BODY.has(c.req.method)) return next();
    const contentType = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    const isJson = contentType === "application/json" || contentType.endsWith("+json");
    // Uploads are streamed by their route; never read them here.
    if (contentType === "multipart/form-data" && options.multipartPaths.some((p) => p.test(c.req.path))) return next();
    if (!(await hasBody(c))) {
      // No body at all means "no fields" (e.g. POST /v1/runs/{id}/cancel), even
      // when a client sends a JSON content type with it.
      if (isJson) readAsEmptyObject(c.req);
      return next();
    }
    if (!isJson) {
      throw new GatewayError({
        status: 415,
        type: "unsupported-media-type",
        title: "Unsupported media type",
        detail: `expected an application/json body, got '${contentType || "no content type"}'`,
      });
    }
    const text = await c.req.text();
    if (text.trim() === "") {
      readAsEmptyObject(c.req);
      return next();
    }
    try {
      JSON.parse(text);
    } catch (error) {
      throw new GatewayError({
        status: 400,
        type: "malformed-json",
        title: "Malformed JSON",
        detail: `the request body is not valid JSON: ${(error as Error).message}`,
      });
    }
    return next();
  };
}
