/**
 * Pulls a short, human-readable message (and the full text) out of an
 * upstream error body. Three shapes occur:
 * - Flink: `{"errors": [...]}` where the first string is often a whole Java
 *   stack trace (flink/NOTES.md "Error responses"); a 500 carries
 *   `"Internal server error."` plus `"<Exception on server side:\n...>"`.
 * - YARN: `{"RemoteException": {"exception", "message", "javaClassName"}}`,
 *   message often prefixed `java.lang.Exception: ` (yarn/NOTES.md).
 * - Anything else: plain text (YARN 403 on kill, standby notices) or an HTML
 *   page from a proxy or load balancer.
 */
export interface UpstreamMessage {
  short: string;
  detail: string;
}

const MAX_SHORT = 300;
const MAX_DETAIL = 8_000;

export function extractUpstreamMessage(body: string): UpstreamMessage | undefined {
  const text = body.trim();
  if (text === "") return undefined;
  const json = tryParseJson(text);
  if (isRecord(json)) {
    const errors = json["errors"];
    if (Array.isArray(errors) && errors.every((e) => typeof e === "string")) return fromFlinkErrors(errors);
    const remote = json["RemoteException"];
    if (isRecord(remote) && typeof remote["message"] === "string") {
      return { short: shortLine(remote["message"]), detail: clip(JSON.stringify(remote), MAX_DETAIL) };
    }
  }
  if (/^<(!doctype|html)/i.test(text)) {
    const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return { short: `HTML page${title ? `: ${title}` : ""}`, detail: clip(text, MAX_DETAIL) };
  }
  return { short: shortLine(text), detail: clip(text, MAX_DETAIL) };
}

function fromFlinkErrors(errors: string[]): UpstreamMessage | undefined {
  const [first, second] = errors;
  if (first === undefined) return undefined;
  let short = shortLine(first);
  // The 500 form puts the real exception in the second entry, after a marker line.
  if (second !== undefined && /^internal server error\.?$/i.test(first.trim())) {
    const inner = second.replace(/^<Exception on server side:\s*/, "");
    short = `${short} ${shortLine(inner)}`;
  }
  return { short, detail: clip(errors.join("\n"), MAX_DETAIL) };
}

/** First non-empty line, without a leading `java.pkg.SomeException: ` class name. */
export function shortLine(text: string): string {
  const line = text.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
  const stripped = line.replace(/^(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?<=Exception|Error|Throwable):\s+/, "");
  return clip(stripped === "" ? line : stripped, MAX_SHORT);
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
