import type { Kysely } from "kysely";
import { type Target, targetSchema } from "../src/domain/target.ts";
import type { Run } from "../src/domain/run.ts";
import { insertRun } from "../src/store/run-repository.ts";
import type { Database } from "../src/store/schema.ts";
import { insertTarget } from "../src/store/target-repository.ts";
import type { EmulatorUrls } from "./emulator-process.ts";
import { rmUser, YARN_TARGET } from "./scenario.ts";

/**
 * The gateway's side of the scenario, written with the repositories: one
 * session target per cluster and one YARN target (all with the History
 * Server), and every run as a submission leaves it (RUNNING, ids known),
 * plus the Flink state and plan the monitor's first sight of a job stores,
 * so the measured ticks start from the steady state.
 */
export async function seedGateway(db: Kysely<Database>, urls: EmulatorUrls, runs: Run[], plan: Record<string, unknown>, now: Date): Promise<Target[]> {
  const targets: Target[] = Object.entries(urls.sessionUrls).map(([name, restUrl]) =>
    targetSchema.parse({ name, kind: "session", restUrl, historyServerUrl: urls.historyUrl }),
  );
  targets.push(targetSchema.parse({ name: YARN_TARGET, kind: "yarn", rmUrls: urls.rmUrls, historyServerUrl: urls.historyUrl, user: rmUser, flinkVersion: "1.18.1" }));
  for (const target of targets) await insertTarget(db, target, now);

  for (let i = 0; i < runs.length; i += 1000) {
    await db.transaction().execute(async (trx) => {
      for (const run of runs.slice(i, i + 1000)) await insertRun(trx, { ...run, state: "RUNNING" }, null);
    });
  }
  await db
    .updateTable("runs")
    .set({ flink_state: "RUNNING", plan: JSON.stringify(plan), submitted_at: now, started_at: now })
    .execute();
  return targets;
}
