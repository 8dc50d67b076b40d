import type { SessionTarget, YarnTarget } from "../domain/target.ts";
import { FlinkClient } from "../flink/flink-client.ts";
import type { FlinkEndpointKind } from "../flink/flink-client.ts";
import { UpstreamHttp } from "../upstream/upstream-http.ts";
import type { UpstreamHttpOptions } from "../upstream/upstream-http.ts";
import { YarnClient } from "../yarn/yarn-client.ts";

/**
 * The upstream clients the submission paths and job control use. Session
 * clusters and RMs are long-lived per target; a YARN JobManager's address is
 * only known from the RM and changes with every AM attempt, so `flinkAt`
 * builds a cheap client on a shared pool for each call.
 */
export interface LaunchClients {
  session(target: SessionTarget): FlinkClient;
  yarn(target: YarnTarget): YarnClient;
  flinkAt(baseUrl: string, kind: FlinkEndpointKind, flinkVersion?: string): FlinkClient;
  close(): Promise<void>;
}

export function createLaunchClients(opts: { http?: Omit<UpstreamHttpOptions, "upstream" | "headers"> } = {}): LaunchClients {
  const sessions = new Map<string, FlinkClient>();
  const yarns = new Map<string, YarnClient>();
  const flinkHttp = new UpstreamHttp({ ...opts.http, upstream: "flink" });
  const historyHttp = new UpstreamHttp({ ...opts.http, upstream: "history-server" });
  const yarnHttp = new UpstreamHttp({ ...opts.http, upstream: "yarn" });
  // A changed target (new URL, headers or RMs) gets a new client: the key is the whole target.
  const keyOf = (t: object): string => JSON.stringify(t);
  return {
    session(target) {
      const key = keyOf(target);
      let client = sessions.get(key);
      if (!client) {
        client = new FlinkClient({ baseUrl: target.restUrl, http: { ...opts.http, headers: target.headers } });
        sessions.set(key, client);
      }
      return client;
    },
    yarn(target) {
      const key = keyOf({ rmUrls: target.rmUrls, user: target.user });
      let client = yarns.get(key);
      if (!client) {
        client = new YarnClient({ rmUrls: target.rmUrls, http: yarnHttp, ...(target.user !== undefined && { user: target.user }) });
        yarns.set(key, client);
      }
      return client;
    },
    flinkAt(baseUrl, kind, flinkVersion) {
      return new FlinkClient({
        baseUrl,
        kind,
        http: kind === "history-server" ? historyHttp : flinkHttp,
        ...(flinkVersion !== undefined && { flinkVersion }),
      });
    },
    async close() {
      await Promise.all([...sessions.values()].map((c) => c.close()));
      await Promise.all([flinkHttp.close(), historyHttp.close(), yarnHttp.close()]);
    },
  };
}
