import type { Hook } from "@hono/zod-openapi";
import type { z } from "zod";
import type { AppEnv } from "./env.ts";
import { type FieldIssue, ValidationError } from "../domain/errors.ts";

const TARGET_NAMES: Record<string, string> = {
  json: "body",
  form: "body",
  query: "query",
  param: "path",
  header: "header",
  cookie: "cookie",
};

export function fieldIssues(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String);
    // An unrecognized key is reported on the key itself, not on its parent.
    if (issue.code === "unrecognized_keys") {
      return { field: [prefix, ...path, ...issue.keys].join("."), message: "is not a known field" };
    }
    return { field: [prefix, ...path].join("."), message: issue.message };
  });
}

/** The OpenAPIHono default hook: every failed validation becomes one problem naming each bad field. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) {
    const prefix = TARGET_NAMES[result.target] ?? result.target;
    throw new ValidationError(fieldIssues(result.error as z.ZodError, prefix));
  }
};
