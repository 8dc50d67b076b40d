import type { HttpBindings } from "@hono/node-server";
import { Hono } from "hono";
import { YARN_APP_ID } from "./ids.ts";
import { appJson, isYarnTerminal } from "./yarn-app.ts";
import { filterApps, QueryRejected } from "./yarn-apps-query.ts";
import { yarnAppNotFound, yarnBadRequest, yarnUnauthenticated } from "./yarn-errors.ts";
import type { ResourceManagerModel } from "./yarn-rm.ts";
import { parseSubmission, SubmissionRejected } from "./yarn-submission.ts";

export type RmBindings = HttpBindings & {
  path: string;
  rm: ResourceManagerModel;
  rmId: "rm1" | "rm2";
  /** Base URLs of both RMs, e.g. { rm1: "http://127.0.0.1:1234/yarn/rm1", ... }. */
  bases: Record<"rm1" | "rm2", string>;
};
type RmEnv = { Bindings: RmBindings };

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

/** The ResourceManager REST API of one RM of the pair. */
export function createRmApp(): Hono<RmEnv> {
  const app = new Hono<RmEnv>({ getPath: (req, o) => (o?.env as RmBindings | undefined)?.path ?? new URL(req.url).pathname });

  app.get("/isActive", (c) => (c.env.rm.active === c.env.rmId ? c.text("I am Active!") : c.text("I am not Active!", 405)));

  // A standby redirects everything but a few paths (cluster info among them) to the active RM
  // with 307, so methods and bodies are replayed (RMWebAppFilter; yarn/NOTES.md "HA behaviour").
  app.use("/ws/*", async (c, next) => {
    const { rm, rmId, path } = c.env;
    if (rm.active === rmId || path === "/ws/v1/cluster" || path === "/ws/v1/cluster/info") return next();
    if (rm.active === null) {
      return c.text("Can not find any active RM. Will retry in next 5 seconds.", 307, { Refresh: "5" });
    }
    const url = new URL(c.req.url);
    const target = `${c.env.bases[rm.active]}${path}${url.search}`;
    return c.text(`This is standby RM. The redirect url is: ${target}`, 307, { Location: target });
  });

  const info = (c: { env: RmBindings }): Response => {
    const { rm, rmId } = c.env;
    return json({
      clusterInfo: {
        id: rm.clusterTimestamp,
        startedOn: rm.clusterTimestamp,
        state: "STARTED",
        haState: rm.active === rmId ? "ACTIVE" : "STANDBY",
        rmStateStoreName: "org.apache.hadoop.yarn.server.resourcemanager.recovery.ZKRMStateStore",
        resourceManagerVersion: "3.3.6",
        resourceManagerBuildVersion: "3.3.6 from emulated by flinkgate source checksum 0",
        resourceManagerVersionBuiltOn: "2026-01-01T00:00Z",
        hadoopVersion: "3.3.6",
        hadoopBuildVersion: "3.3.6 from emulated by flinkgate source checksum 0",
        hadoopVersionBuiltOn: "2026-01-01T00:00Z",
        haZooKeeperConnectionState: "CONNECTED",
      },
    });
  };
  app.get("/ws/v1/cluster", info);
  app.get("/ws/v1/cluster/info", info);

  app.get("/ws/v1/cluster/apps", (c) => {
    const { rm } = c.env;
    try {
      const apps = filterApps(rm.apps.values(), (name) => c.req.queries(name) ?? []);
      const now = rm.model.now();
      if (apps.length === 0) return json({ apps: rm.options.emptyApps === "null" ? null : {} });
      return json({ apps: { app: apps.map((a) => appJson(a, c.env.bases[c.env.rmId], now)) } });
    } catch (error) {
      if (error instanceof QueryRejected) return yarnBadRequest(error.message);
      throw error;
    }
  });

  app.post("/ws/v1/cluster/apps/new-application", (c) => {
    const { rm } = c.env;
    if (!user(c.req.url, rm.options.requireUser)) return yarnUnauthenticated();
    return json({
      "application-id": rm.newApplicationId(),
      "maximum-resource-capability": { memory: rm.options.maxMemoryMb, vCores: rm.options.maxVCores },
    });
  });

  app.post("/ws/v1/cluster/apps", async (c) => {
    const { rm } = c.env;
    const caller = user(c.req.url, rm.options.requireUser);
    if (!caller) return yarnUnauthenticated();
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return yarnBadRequest("javax.ws.rs.WebApplicationException: Unmarshalling error: the request body is not valid JSON");
    }
    try {
      const sub = parseSubmission(body && typeof body === "object" ? (body as Record<string, unknown>) : {}, rm.options);
      rm.submit(sub, caller);
      return new Response(null, { status: 202, headers: { Location: `${c.env.bases[c.env.rmId]}/ws/v1/cluster/apps/${sub.applicationId}` } });
    } catch (error) {
      if (error instanceof SubmissionRejected) return yarnBadRequest(error.message);
      throw error;
    }
  });

  app.get("/ws/v1/cluster/apps/:appid", (c) => withApp(c.env, c.req.param("appid"), (a) => json({ app: appJson(a, c.env.bases[c.env.rmId], c.env.rm.model.now()) })));
  app.get("/ws/v1/cluster/apps/:appid/state", (c) => withApp(c.env, c.req.param("appid"), (a) => json({ state: a.state })));

  app.put("/ws/v1/cluster/apps/:appid/state", async (c) => {
    const { rm } = c.env;
    const caller = user(c.req.url, rm.options.requireUser);
    if (!caller) return yarnUnauthenticated();
    const body = (await c.req.json().catch(() => ({}))) as { state?: unknown };
    if (body.state !== "KILLED") return yarnBadRequest("java.lang.Exception: Only 'KILLED' is allowed as a target state.");
    return withApp(c.env, c.req.param("appid"), (a) => {
      // Already ended (or already killed): 200 with the terminal state, the kill is a no-op.
      if (isYarnTerminal(a.state)) return json({ state: a.state });
      const before = a.state;
      rm.kill(a, caller);
      return json({ state: before }, 202, { Location: `${c.env.bases[c.env.rmId]}/ws/v1/cluster/apps/${a.id}/state` });
    });
  });

  app.notFound((c) => c.text(`Not Found: ${c.env.path}`, 404));
  return app;
}

function withApp(env: RmBindings, appId: string, handle: (app: NonNullable<ReturnType<ResourceManagerModel["apps"]["get"]>>) => Response): Response {
  if (!YARN_APP_ID.test(appId)) return yarnBadRequest(`java.lang.IllegalArgumentException: Invalid ApplicationId: ${appId}`);
  const app = env.rm.apps.get(appId);
  return app ? handle(app) : yarnAppNotFound(appId);
}

/** Pseudo-auth: `?user.name=` names the caller; without it a secured write is refused. */
function user(url: string, required: boolean): string | null {
  const name = new URL(url).searchParams.get("user.name");
  return name ?? (required ? null : "dr.who");
}
