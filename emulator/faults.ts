/**
 * Fault injection and request counting, per upstream. Upstream keys:
 *   `session:<name>`  a session cluster        `rm:rm1` / `rm:rm2`  one ResourceManager (its proxy too)
 *   `proxy:<appId>`   one application's proxy  `am:<appId>`         an AM's direct REST address
 *   `history`         the History Server
 * A fault set on the bare kind (`session`, `rm`, `proxy`, `am`) applies to every upstream of that kind.
 */
export interface Fault {
  /** Added delay (real time) before the request is handled or the fault below applies. */
  latencyMs?: number;
  /** Answer with this status (e.g. 500, 502, 503) in the upstream's own error shape. */
  status?: number;
  /** Destroy the connection without an answer (ECONNRESET / "socket hang up" on the client). */
  reset?: boolean;
  /** Never answer; the request is held until the client gives up or the emulator stops. */
  hang?: boolean;
  /** Only for the next N requests; unlimited when absent. */
  times?: number;
  /** Only requests on this route, written as `counters()` reports it (`POST /v1/jars/:id/run`); others pass untouched. */
  route?: string;
  /**
   * Handle the request first, then apply the fault to its answer: the upstream
   * acted (job started, application submitted) but the client never hears so.
   */
  afterHandling?: boolean;
}

export class FaultTable {
  readonly #faults = new Map<string, Fault>();

  set(upstream: string, fault: Fault): void {
    this.#faults.set(upstream, { ...fault });
  }

  clear(upstream?: string): void {
    if (upstream === undefined) this.#faults.clear();
    else this.#faults.delete(upstream);
  }

  list(): Record<string, Fault> {
    return Object.fromEntries(this.#faults);
  }

  /** The fault that applies to one request to `upstream` on `route`, consuming one of its `times`. */
  take(upstream: string, route: string): Fault | undefined {
    const kind = upstream.split(":")[0] ?? upstream;
    for (const key of [upstream, kind]) {
      const fault = this.#faults.get(key);
      if (!fault || (fault.route !== undefined && fault.route !== route)) continue;
      if (fault.times !== undefined) {
        if (fault.times <= 0) continue;
        fault.times -= 1;
        if (fault.times === 0) this.#faults.delete(key);
      }
      return fault;
    }
    return undefined;
  }
}

export interface UpstreamCount {
  total: number;
  /** Keyed `METHOD /path` with ids replaced by `:id`, so a bench can see which calls it made. */
  byRoute: Record<string, number>;
}

const ID_PATTERN = /[0-9a-f]{32}|application_\d+_\d+|[0-9a-f-]{36}_[^/]+\.jar/g;

/** `METHOD /path` with ids replaced by `:id`: how counters and routed faults name a request. */
export function routeOf(method: string, path: string): string {
  return `${method} ${path.replace(ID_PATTERN, ":id")}`;
}

export class RequestCounter {
  readonly #counts = new Map<string, UpstreamCount>();

  count(upstream: string, method: string, path: string): void {
    let entry = this.#counts.get(upstream);
    if (!entry) this.#counts.set(upstream, (entry = { total: 0, byRoute: {} }));
    entry.total += 1;
    const route = routeOf(method, path);
    entry.byRoute[route] = (entry.byRoute[route] ?? 0) + 1;
  }

  snapshot(): Record<string, UpstreamCount> {
    return Object.fromEntries([...this.#counts].map(([k, v]) => [k, { total: v.total, byRoute: { ...v.byRoute } }]));
  }

  reset(): void {
    this.#counts.clear();
  }
}
