import type { z } from "zod";
import { UpstreamError } from "../domain/errors.ts";
import type { UpstreamFailure, UpstreamName } from "../domain/errors.ts";
import { parseReportingUnknowns } from "./lenient-enum.ts";
import type { UnknownValueListener } from "./lenient-enum.ts";
import { extractUpstreamMessage } from "./upstream-message.ts";
import type { Decoder, RawResponse } from "./upstream-http.ts";

/** The failure kind for a non-2xx status. */
export function failureForStatus(status: number): UpstreamFailure {
  if (status === 404) return "not-found";
  if (status >= 500) return "server-error";
  if (status >= 400) return "rejected";
  return status >= 300 ? "redirected" : "bad-response";
}

/** Throws the UpstreamError a non-2xx response stands for, keeping the upstream's message. */
export function assertSuccess(raw: RawResponse, upstream: UpstreamName): void {
  if (raw.status >= 200 && raw.status < 300) return;
  const failure = failureForStatus(raw.status);
  const extracted = extractUpstreamMessage(raw.body);
  const location = header(raw, "location");
  const upstreamMessage = failure === "redirected" && location ? `redirect to ${location}` : extracted?.short;
  throw new UpstreamError({
    upstream,
    failure,
    url: raw.url,
    message: `${upstream} answered ${raw.status} for ${raw.url}${upstreamMessage ? `: ${upstreamMessage}` : ""}`,
    upstreamStatus: raw.status,
    ...(upstreamMessage !== undefined && { upstreamMessage }),
    ...(extracted && { upstreamDetail: extracted.detail }),
  });
}

/**
 * A one-pass decoder of a hot payload, written to accept exactly what its
 * schema accepts and to build the same output; `undefined` hands the value to
 * the schema, which then names the error or reports the unknown enum value.
 */
export type FastDecoder<T> = (json: unknown) => T | undefined;

/** Decodes a 2xx JSON body with `schema` (after `fast`, if given); an HTML page, non-JSON or a shape mismatch is `bad-response`. */
export function expectJson<S extends z.ZodType>(
  schema: S,
  onUnknownValue?: UnknownValueListener,
  fast?: FastDecoder<z.output<S>>,
): Decoder<z.output<S>> {
  return (raw, upstream) => {
    assertSuccess(raw, upstream);
    return parseJsonBody(raw, upstream, schema, onUnknownValue, fast);
  };
}

/** Accepts any 2xx and ignores the body (Flink's `{}` answers, YARN's empty 202). */
export function expectSuccess(): Decoder<RawResponse> {
  return (raw, upstream) => {
    assertSuccess(raw, upstream);
    return raw;
  };
}

export function parseJsonBody<S extends z.ZodType>(
  raw: RawResponse,
  upstream: UpstreamName,
  schema: S,
  onUnknownValue?: UnknownValueListener,
  fast?: FastDecoder<z.output<S>>,
): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(raw.body);
  } catch {
    const what = extractUpstreamMessage(raw.body)?.short ?? "an empty body";
    throw badResponse(raw, upstream, `expected JSON, got ${what}`);
  }
  const decoded = fast?.(json);
  if (decoded !== undefined) return decoded;
  const parsed = parseReportingUnknowns(schema, json, raw.url, onUnknownValue);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "schema mismatch";
    throw badResponse(raw, upstream, `unexpected JSON shape (${where})`);
  }
  return parsed.data;
}

function badResponse(raw: RawResponse, upstream: UpstreamName, why: string): UpstreamError {
  return new UpstreamError({
    upstream,
    failure: "bad-response",
    url: raw.url,
    message: `${upstream} sent a bad response for ${raw.url}: ${why}`,
    upstreamStatus: raw.status,
    upstreamDetail: raw.body.slice(0, 2_000),
  });
}

export function header(raw: RawResponse, name: string): string | undefined {
  const value = raw.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
