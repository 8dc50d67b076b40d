/**
 * Strict duration parsing for configuration: "250ms", "5s", "10m", "24h", "7d",
 * or a bare integer of milliseconds. Anything else is an error — never a
 * silent fallback to a default.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2] ?? "ms";
  const ms = value * (UNIT_MS[unit] ?? Number.NaN);
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

/** Parses sizes such as "1mb", "512kb", "2gb" or a bare byte count. */
const UNIT_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+)\s*(b|kb|mb|gb)?\s*$/i.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (UNIT_BYTES[(match[2] ?? "b").toLowerCase()] ?? Number.NaN);
}
