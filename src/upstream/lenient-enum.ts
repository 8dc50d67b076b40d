import { z } from "zod";

/** An enum value the upstream sent that this build does not know. */
export interface UnknownValueReport {
  /** Which enum, e.g. `flink.JobStatus` or `yarn.YarnApplicationState`. */
  enumName: string;
  value: string;
  /** The URL whose response carried it (filled in by the client). */
  url: string;
}

export type UnknownValueListener = (report: UnknownValueReport) => void;

/** A known member, or the raw string the upstream sent (kept, never dropped). */
export type Lenient<T extends string> = T | (string & { readonly __unknownEnum?: never });

type Sink = (enumName: string, value: string) => void;
let currentSink: Sink | undefined;

/**
 * A string schema for an upstream enum that never fails on a new member
 * (Flink and YARN add states across versions; STYLE.md: "unknown upstream
 * enum values are kept and reported, not crashed on"). Unknown values are
 * passed to the sink installed by `parseReportingUnknowns`.
 */
export function lenientEnum<const T extends readonly string[]>(enumName: string, values: T): z.ZodType<Lenient<T[number]>, string> {
  const known = new Set<string>(values);
  // A check, not a transform: the value passes through unchanged, and a
  // transform would wrap every enum field in a pipe, parsed twice per value.
  return z.string().check((payload) => {
    if (!known.has(payload.value)) currentSink?.(enumName, payload.value);
  }) as z.ZodType<Lenient<T[number]>, string>;
}

/**
 * Parses with `schema`, reporting unknown enum values to `listener`.
 * The sink is a module variable because zod has no per-parse context; this is
 * safe because `safeParse` of these schemas is synchronous, so no other parse
 * can run while the sink is installed.
 */
export function parseReportingUnknowns<S extends z.ZodType>(
  schema: S,
  data: unknown,
  url: string,
  listener: UnknownValueListener | undefined,
): z.ZodSafeParseResult<z.output<S>> {
  const previous = currentSink;
  currentSink = listener ? (enumName, value) => listener({ enumName, value, url }) : undefined;
  try {
    return schema.safeParse(data);
  } finally {
    currentSink = previous;
  }
}

export function isKnown<const T extends readonly string[]>(values: T, value: string): value is T[number] {
  return (values as readonly string[]).includes(value);
}
