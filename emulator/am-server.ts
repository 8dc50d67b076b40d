import { createAdaptorServer, type HttpBindings } from "@hono/node-server";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Hono } from "hono";
import type { EmulatorModel } from "./emulator-model.ts";
import type { FlinkCluster } from "./flink-cluster.ts";
import { flinkInternalError } from "./flink-errors.ts";
import type { FlinkEnv } from "./flink-env.ts";
import { stripVersionPrefix } from "./flink-routes.ts";
import { throughUpstream } from "./upstream.ts";
import type { YarnApp } from "./yarn-app.ts";
import type { AmServerFactory } from "./yarn-am-lifecycle.ts";

/** How long the emulator's servers keep an idle keep-alive connection (Hadoop's HTTP idle timeout; Node's own is 5 s). */
export const IDLE_TIMEOUT_MS = 60_000;

/**
 * One node:http server per running AM attempt on port 0: the AM's direct REST address
 * (`amRPCAddress`) changes with every attempt and stops answering when the AM ends
 * (NOTES-flink-on-yarn.md "Finding the Flink REST endpoint").
 */
export function amServerFactory(model: EmulatorModel, flinkApp: Hono<FlinkEnv>, host: string, servers: Set<Server>): AmServerFactory {
  return (app: YarnApp, cluster: FlinkCluster) =>
    new Promise((resolve, reject) => {
      const server = createAdaptorServer({
        fetch: async (req: Request, bindings) => {
          // Plain HTTP/1.1 server, so the bindings are always HttpBindings.
          const env = bindings as HttpBindings;
          await model.scheduler.runDue();
          const url = new URL(req.url);
          const path = stripVersionPrefix(url.pathname);
          return throughUpstream(
            { faults: model.faults, counter: model.counter, stopSignal: model.stopController.signal },
            { keys: [`am:${app.id}`], method: req.method, path: url.pathname, incoming: env.incoming, renderError: (status: number) => flinkInternalError("Emulated JobManager failure", status) },
            async () => flinkApp.fetch(req, { ...env, path, uri: path + url.search, cluster, model }),
          );
        },
      }) as Server;
      server.keepAliveTimeout = IDLE_TIMEOUT_MS;
      server.once("error", reject);
      server.listen(0, host, () => {
        servers.add(server);
        server.once("close", () => servers.delete(server));
        resolve({ server, port: (server.address() as AddressInfo).port });
      });
    });
}
