import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createMetrics } from "../src/metrics/metrics.ts";
import type { Metrics } from "../src/metrics/metrics.ts";
import { touchEveryMetric } from "../src/metrics/touch-every-metric.ts";

export const SCRAPE_TARGET_REPLICA = "scrape-test";

/**
 * A running HTTP server exposing the gateway's metrics at /metrics, for the
 * tests that scrape over the network (promtool on a live scrape, a real
 * Prometheus server).
 *
 * It serves `createMetrics()` the way the HTTP app does (the object is the
 * app's `MetricsEndpoint`: `contentType`, `render`, `observeHttpRequest` per
 * request with the route template) from a plain node:http server, because
 * src/gateway.ts does not pass a metrics object to createApp yet. Once it
 * does, this is the one place to start `createGateway(loadConfig(…))` instead.
 */
export async function startScrapeTarget(): Promise<{ url: string; metrics: Metrics; stop: () => Promise<void> }> {
  const metrics = createMetrics({ version: "0.0.0-test", replica: SCRAPE_TARGET_REPLICA, perRunDetail: true });
  touchEveryMetric(metrics);
  const server = createServer((req, res) => {
    const started = performance.now();
    const done = (status: number, route: string | undefined) =>
      metrics.observeHttpRequest({ route, method: req.method ?? "GET", status, seconds: (performance.now() - started) / 1000 });
    if (req.method !== "GET" || req.url?.split("?")[0] !== "/metrics") {
      res.writeHead(404).end();
      done(404, undefined);
      return;
    }
    metrics.render().then(
      (body) => {
        res.writeHead(200, { "content-type": metrics.contentType }).end(body);
        done(200, "/metrics");
      },
      () => {
        res.writeHead(500).end();
        done(500, "/metrics");
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    metrics,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
