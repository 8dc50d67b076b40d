/** A Flink release as `/config` reports it: `1.18.1`, `1.20.0`, `2.3-SNAPSHOT`. */
export interface FlinkVersion {
  major: number;
  minor: number;
  raw: string;
}

export function parseFlinkVersion(raw: string): FlinkVersion | undefined {
  const m = /^(\d+)\.(\d+)/.exec(raw.trim());
  if (!m?.[1] || !m[2]) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), raw };
}

export function atLeast(v: FlinkVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}
