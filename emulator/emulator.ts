import { createAdaptorServer, type HttpBindings } from "@hono/node-server";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { amServerFactory, IDLE_TIMEOUT_MS } from "./am-server.ts";
import { systemClock, type Clock } from "./clock.ts";
import { EmulatorControl } from "./control.ts";
import { createControlApp } from "./control-routes.ts";
import { createDispatch } from "./emulator-dispatch.ts";
import { EmulatorModel } from "./emulator-model.ts";
import type { FlinkClusterOptions } from "./flink-cluster.ts";
import { createFlinkApp } from "./flink-routes.ts";
import { createHistoryApp } from "./history-routes.ts";
import type { BehaviourRule } from "./job-script.ts";
import { ResourceManagerModel, type ResourceManagerOptions } from "./yarn-rm.ts";
import { createRmApp } from "./yarn-routes.ts";

export interface SessionClusterOptions extends Partial<Omit<FlinkClusterOptions, "name" | "kind">> {
  name: string;
}

export interface EmulatorOptions {
  /** Port of the main server (session clusters, RMs, History Server, control). Default 0 (random). */
  port?: number;
  /** Default 127.0.0.1. AM servers bind here too. */
  host?: string;
  /** Default system clock; pass a ManualClock to drive time from a test. */
  clock?: Clock;
  /** Session clusters to start with; names or options. Default: one cluster named "default". */
  sessionClusters?: Array<string | SessionClusterOptions>;
  /** Flink version of session clusters that do not set one. Default "1.18.1". */
  flinkVersion?: string;
  rm?: Partial<ResourceManagerOptions>;
  historyServer?: { lagMs?: number };
  rules?: BehaviourRule[];
}

export interface Emulator {
  /** Base URL of the main server. */
  url: string;
  /** REST base of a session cluster (Flink also serves everything under `<url>/v1`). */
  sessionClusterUrl(name: string): string;
  /** [active-by-default rm1, standby rm2]. */
  rmUrls: [string, string];
  historyServerUrl: string;
  controlUrl: string;
  control: EmulatorControl;
  stop(): Promise<void>;
}

export const DEFAULT_RM_OPTIONS: ResourceManagerOptions = {
  flinkVersion: "1.18.1",
  maxCompletedApps: 1000,
  requireUser: true,
  emptyApps: "object",
  killMs: 0,
  maxMemoryMb: 8192,
  maxVCores: 32,
  maxAmAttempts: 2,
};

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  const model = new EmulatorModel(options.clock ?? systemClock, { lagMs: options.historyServer?.lagMs ?? 10_000 });
  model.rules.push(...(options.rules ?? []));
  const flinkApp = createFlinkApp();
  const amServers = new Set<Server>();
  let baseUrl = "";
  const rm = new ResourceManagerModel(
    model,
    { ...DEFAULT_RM_OPTIONS, ...options.rm },
    amServerFactory(model, flinkApp, host, amServers),
    () => `${baseUrl}/history`,
  );
  const sessionUrl = (name: string): string => `${baseUrl}/clusters/${encodeURIComponent(name)}`;
  const addSession = (spec: string | SessionClusterOptions): string => {
    const o = typeof spec === "string" ? { name: spec } : spec;
    const cluster = model.addCluster(
      {
        kind: "session",
        flinkVersion: options.flinkVersion ?? "1.18.1",
        taskManagers: 2,
        slotsPerTaskManager: 4,
        jobStoreExpirationMs: 3_600_000,
        savepointDir: null,
        archive: true,
        ...o,
      },
      true,
    );
    cluster.address = sessionUrl(o.name);
    return cluster.address;
  };
  const control = new EmulatorControl(model, rm, (name, flinkVersion) => addSession({ name, ...(flinkVersion ? { flinkVersion } : {}) }));
  const dispatch = createDispatch({
    model, rm, control, flinkApp,
    rmApp: createRmApp(), historyApp: createHistoryApp(), controlApp: createControlApp(),
    baseUrl: () => baseUrl,
  });
  const server = createAdaptorServer({ fetch: (req, env) => dispatch(req, env as HttpBindings) }) as Server;
  server.keepAliveTimeout = IDLE_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  baseUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
  for (const spec of options.sessionClusters ?? ["default"]) addSession(spec);

  return {
    url: baseUrl,
    sessionClusterUrl: (name) => {
      if (!model.sessions.has(name)) throw new Error(`no session cluster named ${name}`);
      return sessionUrl(name);
    },
    rmUrls: [`${baseUrl}/yarn/rm1`, `${baseUrl}/yarn/rm2`],
    historyServerUrl: `${baseUrl}/history`,
    controlUrl: `${baseUrl}/_emulator`,
    control,
    stop: async () => {
      model.stopController.abort();
      model.scheduler.stop();
      for (const s of [server, ...amServers]) {
        s.close();
        s.closeAllConnections();
      }
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
