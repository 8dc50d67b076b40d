import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "./clock.ts";
import { startEmulator, type Emulator } from "./emulator.ts";
import { getJson, postJson, runJar, uploadJar } from "./test-helpers.ts";

describe("scale: 50 session clusters × 200 jobs and 2,000 YARN applications", () => {
  const clock = new ManualClock();
  let emulator: Emulator;
  const clusters = Array.from({ length: 50 }, (_, i) => `s${i}`);

  beforeAll(async () => {
    emulator = await startEmulator({ clock, sessionClusters: clusters, historyServer: { lagMs: 0 }, rm: { maxCompletedApps: 10_000 } });
  });
  afterAll(() => emulator.stop());

  it("holds 10,000 jobs and answers list calls quickly, with no timer per job", async () => {
    await Promise.all(
      clusters.map(async (name) => {
        const base = emulator.sessionClusterUrl(name);
        const jar = await uploadJar(base);
        for (let j = 0; j < 200; j++) {
          const batch = j % 2 === 0;
          await runJar(base, jar, { entryClass: batch ? "com.acme.BatchJob" : "com.acme.Stream", programArgsList: batch ? [`--emulator.runMs=${1000 + j}`] : [] });
        }
      }),
    );
    await emulator.control.advance(5_000);
    const started = performance.now();
    const overview = await getJson(`${emulator.sessionClusterUrl("s7")}/jobs/overview`);
    expect(overview.body.jobs).toHaveLength(200);
    expect(performance.now() - started).toBeLessThan(200);
    const hs = await getJson(`${emulator.historyServerUrl}/jobs/overview`);
    expect(hs.body.jobs).toHaveLength(50 * 100);
  });

  it("lists 2,000 applications with one filtered call", async () => {
    const rm = emulator.rmUrls[0];
    for (let i = 0; i < 2000; i++) {
      const id = (await postJson(`${rm}/ws/v1/cluster/apps/new-application?user.name=b`, {})).body["application-id"];
      // A generic (non-Flink) AM: RUNNING without opening a port, to keep this test about the RM.
      await postJson(`${rm}/ws/v1/cluster/apps?user.name=b`, {
        "application-id": id, "application-tags": { tag: [`gw-${i}`, "bench"] }, "am-container-spec": { commands: { command: "sleep 1000" } },
      });
    }
    await emulator.control.advance(200);
    const started = performance.now();
    const all = await getJson(`${rm}/ws/v1/cluster/apps?applicationTags=bench&states=RUNNING`);
    expect(all.body.apps.app).toHaveLength(2000);
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await getJson(`${rm}/ws/v1/cluster/apps?applicationTags=gw-1999`)).body.apps.app).toHaveLength(1);
  });
});
