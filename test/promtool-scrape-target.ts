import { pino } from "pino";
import { loadConfig } from "../src/config/config.ts";
import { createGateway } from "../src/gateway.ts";
import type { Metrics } from "../src/metrics/metrics.ts";
import { touchEveryMetric } from "../src/metrics/touch-every-metric.ts";
import { openTestDatabase } from "./helpers/database.ts";

export const SCRAPE_TARGET_REPLICA = "scrape-test";

/**
 * A running gateway listening on a free port, for the tests that scrape
 * /metrics over the network (promtool on a live scrape, a real Prometheus
 * server). Every metric family gets a sample first, so the scrape shows the
 * whole exposition, not only the families that happen to have data.
 */
export async function startScrapeTarget(): Promise<{ url: string; metrics: Metrics; stop: () => Promise<void> }> {
  const database = await openTestDatabase({ migrate: false });
  const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", REPLICA_ID: SCRAPE_TARGET_REPLICA, LOG_LEVEL: "silent" });
  const gateway = await createGateway(config, { database, version: "0.0.0-test", logger: pino({ level: "silent" }) });
  touchEveryMetric(gateway.metrics);
  const { url } = await gateway.start();
  return {
    url,
    metrics: gateway.metrics,
    stop: async () => {
      await gateway.stop();
      await database.dispose();
    },
  };
}
