/**
 * The checks zod's primitives make, for the one-pass decoders (`FastDecoder`).
 * `z.object` takes any object that is not null or an array; `z.number` takes
 * only finite numbers, and `JSON.parse` does produce Infinity (from `1e400`).
 */
export type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

export const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/** `z.number().optional()`: null is refused, as zod does. */
export const isOptionalNumber = (value: unknown): value is number | undefined => value === undefined || isNumber(value);

/** `z.string().optional()`. */
export const isOptionalString = (value: unknown): value is string | undefined => value === undefined || typeof value === "string";
