import type { UpstreamFailure } from "../domain/errors.ts";

const REFUSED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);
const RESET = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "ECONNABORTED"]);
const TIMEOUT = new Set(["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/**
 * Classifies an exception thrown by undici into a transport failure kind.
 * The code may sit on the error, on its `cause`, or (for a host name with
 * several addresses, tried in turn) on the members of an AggregateError.
 */
export function classifyTransportError(err: unknown): UpstreamFailure | undefined {
  for (const code of errorCodes(err, 0)) {
    if (REFUSED.has(code)) return "refused";
    if (RESET.has(code)) return "reset";
    if (TIMEOUT.has(code)) return "timeout";
  }
  return undefined;
}

function errorCodes(err: unknown, depth: number): string[] {
  if (depth > 4 || typeof err !== "object" || err === null) return [];
  const codes: string[] = [];
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") codes.push(code);
  codes.push(...errorCodes((err as { cause?: unknown }).cause, depth + 1));
  const members = (err as { errors?: unknown }).errors;
  if (Array.isArray(members)) for (const m of members) codes.push(...errorCodes(m, depth + 1));
  return codes;
}
