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
  const root = new URL(base);
  if (!root.pathname.endsWith("/")) root.pathname += "/";
  root.search = "";
  root.hash = "";
  const url = new URL(path.replace(/^\/+/, ""), root);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, v);
    else url.searchParams.append(key, String(value));
  }
  // URLSearchParams writes a space as `+`; %20 is read as a space by every
  // server (YARN's `applicationTypes=Apache%20Flink`), `+` not necessarily.
  url.search = url.searchParams.toString().replace(/\+/g, "%20");
  return url.toString();
}

/** Fills `{name}` placeholders of a path template, URL-encoding each value. */
export function renderPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter '${name}' for ${template}`);
    return encodeURIComponent(value);
  });
}
