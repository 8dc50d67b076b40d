import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { GatewayError } from "../domain/errors.ts";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
/** Problem `type`s are URNs: stable identifiers, not links. */
export const PROBLEM_TYPE_PREFIX = "urn:flinkgate:problem:";

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  [extension: string]: unknown;
}

const HTTP_EXCEPTION_TYPES: Record<number, [string, string]> = {
  400: ["malformed-request", "Malformed request"],
  401: ["unauthorized", "Unauthorized"],
  404: ["not-found", "Not found"],
  405: ["method-not-allowed", "Method not allowed"],
  413: ["payload-too-large", "Payload too large"],
  415: ["unsupported-media-type", "Unsupported media type"],
};

/** Turns anything thrown into a GatewayError; unknown errors become a bare 500 that leaks nothing. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof HTTPException) {
    const [type, title] = HTTP_EXCEPTION_TYPES[error.status] ?? ["http-error", "HTTP error"];
    return new GatewayError({ status: error.status, type, title, detail: error.message || title });
  }
  return new GatewayError({
    status: 500,
    type: "internal-error",
    title: "Internal server error",
    detail: "the gateway failed to handle this request; the request id identifies it in the logs",
    cause: error,
  });
}

export function problemBody(error: GatewayError, c: Context): ProblemBody {
  const body: ProblemBody = {
    type: PROBLEM_TYPE_PREFIX + error.type,
    title: error.title,
    status: error.status,
    detail: error.message,
    instance: c.req.path,
  };
  const requestId = c.get("requestId") as string | undefined;
  if (requestId) body.requestId = requestId;
  for (const [key, value] of Object.entries(error.extra)) if (value !== undefined) body[key] = value;
  return body;
}

export function problemResponse(c: Context, error: GatewayError, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problemBody(error, c)), {
    status: error.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, ...headers },
  });
}
