import { z } from "@hono/zod-openapi";
import { ValidationError } from "../domain/errors.ts";

/**
 * Opaque cursors: base64url of a small JSON array of key values. Clients pass
 * `nextCursor` back unchanged; its contents are not part of the API.
 */
export function encodeCursor(keys: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(keys), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | undefined, arity: number): Array<string | number> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const keys: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(keys) && keys.length === arity && keys.every((k) => typeof k === "string" || typeof k === "number")) {
      return keys;
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError([{ field: "query.cursor", message: "is not a cursor returned by this API" }]);
}

export const pageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .openapi({ description: "Items per page (1–500, default 50)." }),
  cursor: z.string().min(1).optional().openapi({ description: "The `nextCursor` of the previous page." }),
});

export function pageSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().openapi({ description: "Pass as `cursor` to get the next page; null on the last page." }),
    })
    .openapi(name);
}

/**
 * Builds a page from rows fetched with `limit + 1`: the extra row only says
 * whether there is a next page.
 */
export function toPage<T>(rows: T[], limit: number, cursorOf: (last: T) => ReadonlyArray<string | number>) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}
