import type { FlinkBindings, FlinkEnv } from "./flink-env.ts";
import type { Hono } from "hono";
import { stripVersionPrefix } from "./flink-routes.ts";
import { isYarnTerminal } from "./yarn-app.ts";
import type { RmBindings } from "./yarn-routes.ts";

/**
 * The RM web proxy `/proxy/<appId>/<rest>` (WebAppProxyServlet; yarn/NOTES.md "RM web proxy"):
 * only GET and PUT are forwarded (POST/DELETE → 405, PATCH → 501, servlet defaults); a finished
 * app is not proxied but redirected (302) to its final tracking URL or the RM app page.
 * Not covered: the header allow-list and PUT-body newline mangling (the AM here ignores both).
 */
export async function proxyToAm(
  env: RmBindings,
  req: Request,
  appId: string,
  rest: string,
  flinkApp: Hono<FlinkEnv>,
): Promise<Response> {
  const method = req.method.toUpperCase();
  if (method === "POST" || method === "DELETE") return text("HTTP method " + method + " is not supported by this URL", 405);
  if (method !== "GET" && method !== "PUT" && method !== "HEAD") return text("Method Not Implemented", 501);
  // The standby holds no application reports, so its proxy cannot find any app.
  const app = env.rm.active === env.rmId ? env.rm.apps.get(appId) : undefined;
  if (!app || app.proxyNotFound) return text(`Application ${appId} could not be found`, 404);
  const search = new URL(req.url).search;
  if (isYarnTerminal(app.state)) {
    const target = app.finalTrackingUrl ? `${app.finalTrackingUrl.replace(/\/$/, "")}${rest}${search}` : `${env.bases[env.rmId]}/cluster/app/${appId}`;
    return new Response(null, { status: 302, headers: { Location: target } });
  }
  const am = app.am;
  if (!am) return text("The requested application does not appear to be running yet, and has not set a tracking URL.", 404);
  const path = stripVersionPrefix(rest === "" ? "/" : rest);
  const bindings: FlinkBindings = {
    incoming: env.incoming,
    outgoing: env.outgoing,
    path,
    uri: path + search,
    cluster: am.cluster,
    model: env.rm.model,
  };
  return flinkApp.fetch(req, bindings);
}

function text(body: string, status: number): Response {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
