/**
 * Requests the emulator served, summed by kind of upstream. Read over the
 * control API (not counted as upstream traffic) before and after a tick.
 * A read through the RM proxy is counted by the emulator under both
 * `proxy:<app>` and `am:<app>`: it is one request, so only AM reads that
 * bypassed the proxy count as `am`.
 */
export const UPSTREAMS = ["session", "rm", "proxy", "am", "history"] as const;
export type Upstream = (typeof UPSTREAMS)[number];
export type UpstreamCounts = Record<Upstream, number>;

export const UPSTREAM_LABELS: Record<Upstream, string> = {
  session: "Flink session JobManagers",
  rm: "YARN RM (REST)",
  proxy: "YARN RM proxy → AM",
  am: "AM direct",
  history: "History Server",
};

/** The totals by kind only: the per-application counters of 2,000 applications would be parsed in the measured process. */
export async function readUpstreamCounts(controlUrl: string): Promise<UpstreamCounts> {
  const response = await fetch(`${controlUrl}/counters?by=kind`);
  if (!response.ok) throw new Error(`emulator counters: ${response.status}`);
  const { totals } = (await response.json()) as { totals: Partial<UpstreamCounts> };
  const sums: UpstreamCounts = { session: 0, rm: 0, proxy: 0, am: 0, history: 0 };
  for (const kind of UPSTREAMS) sums[kind] = totals[kind] ?? 0;
  sums.am -= sums.proxy;
  return sums;
}

export function countsBetween(before: UpstreamCounts, after: UpstreamCounts): UpstreamCounts {
  const delta = { ...after };
  for (const kind of UPSTREAMS) delta[kind] -= before[kind];
  return delta;
}

export const totalOf = (counts: UpstreamCounts): number => UPSTREAMS.reduce((sum, kind) => sum + counts[kind], 0);
