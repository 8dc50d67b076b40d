/** A query value; arrays become repeated keys, `undefined` drops the key. */
export type QueryValue = string | number | boolean | readonly string[] | undefined;
export type Query = Record<string, QueryValue>;

/**
 * Joins a base URL that may carry a path prefix with an endpoint path.
 *
 * `new URL("/jobs", "http://rm:8088/proxy/app_1/")` would drop the prefix, and
 * without a trailing slash on the base the last segment is replaced; both are
 * classic ways to talk to the RM instead of the proxied JobManager. So the base
 * is normalised to end with `/` and the path is made relative.
 */
export function joinUrl(base: string, path: string, query?: Query): string {
  const relative = path.replace(/^\/+/, "");
  // A plain path (what renderPath makes) needs no parsing: the URL would come out as written.
  if (query === undefined && PLAIN_PATH.test(relative) && !DOT_SEGMENT.test(relative)) return normalisedBase(base) + relative;
  const url = new URL(normalisedBase(base) + relative);
  let hasQuery = url.search !== "";
  if (query) {
    for (const key in query) {
      const value = query[key];
      if (value === undefined) continue;
      hasQuery = true;
      if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, v);
      else url.searchParams.append(key, String(value));
    }
  }
  // URLSearchParams writes a space as `+`; %20 is read as a space by every
  // server (YARN's `applicationTypes=Apache%20Flink`), `+` not necessarily.
  if (hasQuery) url.search = url.searchParams.toString().replace(/\+/g, "%20");
  return url.href;
}

/** Characters a URL path keeps as they are; `%` only as the start of an escape. */
const PLAIN_PATH = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;
const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:\/|$)/;

/** Base URLs normalised to end with `/`, without query or fragment; a few targets, each joined with many paths. */
const baseCache = new Map<string, string>();
const BASE_CACHE_LIMIT = 10_000;

function normalisedBase(base: string): string {
  let href = baseCache.get(base);
  if (href === undefined) {
    const root = new URL(base);
    if (!root.pathname.endsWith("/")) root.pathname += "/";
    root.search = "";
    root.hash = "";
    href = root.href;
    if (baseCache.size >= BASE_CACHE_LIMIT) baseCache.clear();
    baseCache.set(base, href);
  }
  return href;
}

/** Fills `{name}` placeholders of a path template, URL-encoding each value. */
export function renderPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter '${name}' for ${template}`);
    return encodeURIComponent(value);
  });
}
