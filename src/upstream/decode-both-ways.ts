import type { z } from "zod";
import { UpstreamError } from "../domain/errors.ts";
import { parseJsonBody } from "./decode-response.ts";
import type { FastDecoder } from "./decode-response.ts";
import type { UnknownValueReport } from "./lenient-enum.ts";

/** What a client makes of one body: its value, or the error it throws, and the unknown values it reported. */
export interface DecodeOutcome {
  value?: unknown;
  error?: { failure: string; message: string; upstreamDetail: string | undefined };
  reports: UnknownValueReport[];
  /** The value with undefined written out, in key order: `toStrictEqual` ignores key order. */
  layout?: string;
}

const URL = "http://upstream.test/list";

/** Decodes a JSON text as a client would with and without `fast`, for tests that hold a fast decoder to its schema. */
export function decodeBothWays<S extends z.ZodType>(schema: S, fast: FastDecoder<z.output<S>>, text: string) {
  return {
    viaFast: decodeOnce(schema, fast, text),
    viaSchema: decodeOnce(schema, undefined, text),
    /** Whether the fast decoder answered by itself (else the schema did). */
    fastAnswered: fast(JSON.parse(text)) !== undefined,
  };
}

function decodeOnce<S extends z.ZodType>(schema: S, fast: FastDecoder<z.output<S>> | undefined, body: string): DecodeOutcome {
  const reports: UnknownValueReport[] = [];
  try {
    const value = parseJsonBody({ url: URL, status: 200, headers: {}, body }, "yarn", schema, (r) => reports.push(r), fast);
    return { value, reports, layout: JSON.stringify(value, (_, v: unknown) => (v === undefined ? "(undefined)" : v)) };
  } catch (err) {
    if (!(err instanceof UpstreamError)) throw err;
    return { error: { failure: err.failure, message: err.message, upstreamDetail: err.upstreamDetail }, reports };
  }
}
