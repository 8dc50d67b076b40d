import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { ConflictError, GatewayError, ValidationError } from "../../domain/errors.ts";
import type { IdempotencyClaim, IdempotencyRequest, StoredResponse } from "../../store/idempotency-repository.ts";
import type { AppEnv } from "../env.ts";

/** The port this middleware needs; the gateway binds it to the database. */
export interface IdempotencyStore {
  claim(request: IdempotencyRequest): Promise<IdempotencyClaim>;
  complete(request: IdempotencyRequest, response: StoredResponse): Promise<void>;
  release(request: IdempotencyRequest): Promise<void>;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Response headers worth replaying; the rest (date, request id) belong to the new request. */
const REPLAYED_HEADERS = ["content-type", "location"];

/**
 * Honours `Idempotency-Key` on POST (draft-ietf-httpapi-idempotency-key-header):
 * the first request with a key runs and its response is stored; a retry with
 * the same key and body gets that response again (`Idempotent-Replayed: true`);
 * the same key with another body is 422; while the first is still running, 409.
 * A 5xx is not stored, so the client can retry it.
 */
export function idempotency(store: IdempotencyStore): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (c.req.method !== "POST" || key === undefined) return next();
    if (!KEY_PATTERN.test(key)) {
      throw new ValidationError([{ field: "header.idempotency-key", message: "must be 1 to 255 visible ASCII characters" }]);
    }
    const body = Buffer.from(await c.req.arrayBuffer());
    const request: IdempotencyRequest = {
      principal: c.get("principal").id,
      key,
      method: c.req.method,
      path: c.req.path,
      requestHash: createHash("sha256").update(c.req.header("content-type") ?? "").update("\n").update(body).digest("hex"),
    };
    const claim = await store.claim(request);
    switch (claim.kind) {
      case "mismatch":
        throw new GatewayError({
          status: 422,
          type: "idempotency-key-reused",
          title: "Idempotency key reused",
          detail: `the Idempotency-Key '${key}' was already used for a different request`,
        });
      case "in-flight":
        throw new ConflictError(`a request with the Idempotency-Key '${key}' is still being processed; retry later`, "idempotency-key-in-flight");
      case "replay":
        return new Response(claim.response.body, {
          status: claim.response.status,
          headers: { ...claim.response.headers, "idempotent-replayed": "true" },
        });
      case "claimed":
        break;
    }
    try {
      await next();
    } catch (error) {
      await store.release(request);
      throw error;
    }
    if (c.res.status >= 500) {
      await store.release(request);
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = c.res.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    await store.complete(request, { status: c.res.status, headers, body: await c.res.clone().text() });
  };
}
