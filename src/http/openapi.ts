import { z } from "@hono/zod-openapi";
import { PROBLEM_CONTENT_TYPE } from "./problem.ts";

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "urn:flinkgate:problem:validation-error" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: "For validation errors: every bad field, named by its location (`body.name`, `query.limit`)." }),
  })
  .catchall(z.unknown())
  .openapi("Problem", { description: "An RFC 9457 problem detail." });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "The request is invalid: the problem names each bad field.",
  401: "Missing or invalid bearer token.",
  403: "The token lacks a scope this operation needs.",
  404: "No such resource.",
  409: "Conflict with the current state (or the same Idempotency-Key is still in flight).",
  413: "The body exceeds the configured limit.",
  415: "The body is not JSON.",
  422: "The Idempotency-Key was used for a different request, or an upstream refused the request.",
  502: "An upstream (Flink, History Server, YARN) could not be reached or answered badly.",
};

export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: ERROR_DESCRIPTIONS[status] ?? "Error", content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } },
    ]),
  );
}

/** The errors any authenticated JSON write can produce. */
export const WRITE_ERRORS = [400, 401, 403, 409, 413, 415, 422] as const;
export const READ_ERRORS = [400, 401, 403] as const;

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export const bearerSecurity = [{ bearerAuth: [] }];

export const idempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .optional()
    .openapi({ description: "Makes retries of this POST safe: the first response is stored and replayed." }),
});
