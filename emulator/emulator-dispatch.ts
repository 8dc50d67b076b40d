import type { HttpBindings } from "@hono/node-server";
import type { Hono } from "hono";
import type { EmulatorControl } from "./control.ts";
import type { ControlBindings } from "./control-routes.ts";
import type { EmulatorModel } from "./emulator-model.ts";
import { flinkInternalError } from "./flink-errors.ts";
import type { FlinkEnv } from "./flink-env.ts";
import { stripVersionPrefix } from "./flink-routes.ts";
import type { HistoryBindings } from "./history-routes.ts";
import { resetConnection, throughUpstream, type UpstreamContext } from "./upstream.ts";
import { yarnServerError } from "./yarn-errors.ts";
import { proxyToAm } from "./yarn-proxy.ts";
import type { ResourceManagerModel } from "./yarn-rm.ts";
import type { RmBindings } from "./yarn-routes.ts";

export interface DispatchDeps {
  model: EmulatorModel;
  rm: ResourceManagerModel;
  control: EmulatorControl;
  flinkApp: Hono<FlinkEnv>;
  rmApp: Hono<{ Bindings: RmBindings }>;
  historyApp: Hono<{ Bindings: HistoryBindings }>;
  controlApp: Hono<{ Bindings: ControlBindings }>;
  /** Base URL of the main server, e.g. http://127.0.0.1:40123 */
  baseUrl: () => string;
}

/**
 * Routes the main port by prefix:
 *   /clusters/<name>/...   a session cluster (and /clusters/<name>/v1/...)
 *   /yarn/rm1|rm2/...      the RM pair, including /proxy/<appId>/...
 *   /history/...           the History Server
 *   /_emulator/...         the control API
 */
export function createDispatch(deps: DispatchDeps) {
  const { model } = deps;
  const upstream: UpstreamContext = { faults: model.faults, counter: model.counter, stopSignal: model.stopController.signal };

  return async (req: Request, env: HttpBindings): Promise<Response> => {
    await model.scheduler.runDue();
    const url = new URL(req.url);
    const m = /^\/(_emulator|clusters|yarn|history)(?:\/([^/]+))?(\/.*)?$/.exec(url.pathname);
    const [, area, name = "", rest = ""] = m ?? [];

    if (area === "_emulator") {
      const path = `/${name}${rest}`.replace(/\/$/, "") || "/";
      return deps.controlApp.fetch(req, { ...env, path, control: deps.control });
    }

    if (area === "clusters") {
      const cluster = model.sessions.get(name);
      if (!cluster) return new Response(`No emulated session cluster named ${name}`, { status: 404 });
      const path = stripVersionPrefix(rest || "/");
      const call = { keys: [`session:${name}`], method: req.method, path: rest, incoming: env.incoming, renderError: (status: number) => flinkInternalError("Emulated JobManager failure", status) };
      return throughUpstream(upstream, call, async () => {
        // A cluster stopped with DELETE /cluster refuses connections.
        if (cluster.goneAt !== null) return resetConnection(env.incoming);
        return deps.flinkApp.fetch(req, { ...env, path, uri: path + url.search, cluster, model });
      });
    }

    if (area === "yarn" && (name === "rm1" || name === "rm2")) {
      const bases = { rm1: `${deps.baseUrl()}/yarn/rm1`, rm2: `${deps.baseUrl()}/yarn/rm2` };
      const rmEnv: RmBindings = { ...env, path: rest || "/", rm: deps.rm, rmId: name, bases };
      const proxy = /^\/proxy\/([^/]+)(\/.*)?$/.exec(rest);
      const keys = proxy ? [`proxy:${proxy[1]}`, `rm:${name}`] : [`rm:${name}`];
      const call = { keys, method: req.method, path: rest, incoming: env.incoming, renderError: yarnServerError };
      return throughUpstream(upstream, call, async () => {
        if (!proxy) return deps.rmApp.fetch(req, rmEnv);
        const appId = proxy[1]!;
        const amCall = { keys: [`am:${appId}`], method: req.method, path: proxy[2] ?? "/", incoming: env.incoming, renderError: (status: number) => flinkInternalError("Emulated JobManager failure", status) };
        return throughUpstream(upstream, amCall, () => proxyToAm(rmEnv, req, appId, proxy[2] ?? "", deps.flinkApp));
      });
    }

    if (area === "history") {
      const path = `/${name}${rest}`.replace(/\/$/, "") || "/";
      const call = { keys: ["history"], method: req.method, path, incoming: env.incoming, renderError: (s: number) => new Response(JSON.stringify({ errors: ["Internal server error."] }), { status: s }) };
      return throughUpstream(upstream, call, async () => deps.historyApp.fetch(req, { ...env, path, model }));
    }

    return new Response("Not found. Try /_emulator/jobs, /clusters/<name>/overview, /yarn/rm1/ws/v1/cluster/info, /history/jobs/overview", { status: 404 });
  };
}
