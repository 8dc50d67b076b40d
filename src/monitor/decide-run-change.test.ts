import { describe, expect, it } from "vitest";
import type { Run } from "../domain/run.ts";
import { makeRun } from "../launch/launch-test-support.ts";
import { RUN_STATES } from "../domain/run-state.ts";
import { decideRunChange, isSteadySighting, isSteadyYarnSighting } from "./decide-run-change.ts";

const NOW = new Date("2026-11-21T12:00:00Z");
const GRACE = 60_000;

/** A running application-mode run, built by the same code the run service uses. */
function run(overrides: Partial<Run> = {}): Run {
  return makeRun("application", {}, {
    target: "yarn-prod",
    state: "RUNNING",
    flinkState: "RUNNING",
    yarn: { applicationId: "application_1_0001", tag: "t", state: "RUNNING", finalStatus: "UNDEFINED", diagnostics: null, amAddress: "h:1" },
    createdAt: NOW,
    submittedAt: NOW,
    startedAt: NOW,
    updatedAt: NOW,
    ...overrides,
  });
}

const yarnEnded = (finalStatus: string, diagnostics = "") => ({ state: "FINISHED", finalStatus, diagnostics, finishedTime: NOW.getTime() - 2_000 });

describe("decideRunChange", () => {
  it("writes nothing when nothing changed", () => {
    expect(decideRunChange(run(), { flink: { source: "flink", state: "RUNNING" } }, NOW, GRACE)).toBeUndefined();
    expect(decideRunChange(run(), { yarn: { state: "RUNNING", finalStatus: "UNDEFINED", diagnostics: "", finishedTime: null, amAddress: "h:1" } }, NOW, GRACE)).toBeUndefined();
  });

  it("never changes a state without evidence (transport errors pass none)", () => {
    expect(decideRunChange(run(), {}, NOW, GRACE)).toBeUndefined();
  });

  it("takes YARN SUCCEEDED after the cluster is gone as FINISHED, from yarn, with YARN's end time", () => {
    const change = decideRunChange(run(), { yarn: yarnEnded("SUCCEEDED") }, NOW, GRACE);
    expect(change?.patch.state).toBe("FINISHED");
    expect(change?.patch.finalStateSource).toBe("yarn");
    expect(change?.patch.endedAt).toEqual(new Date(NOW.getTime() - 2_000));
    expect(change?.upstreamTime).toBe(NOW.getTime() - 2_000);
  });

  it("maps KILLED to CANCELED and FAILED to FAILED with YARN's diagnostics", () => {
    expect(decideRunChange(run(), { yarn: yarnEnded("KILLED") }, NOW, GRACE)?.patch.state).toBe("CANCELED");
    const failed = decideRunChange(run(), { yarn: yarnEnded("FAILED", "Application failed: boom") }, NOW, GRACE);
    expect(failed?.patch.state).toBe("FAILED");
    expect(failed?.patch.failureCause).toBe("Application failed: boom");
  });

  it("does not take UNDEFINED on an ended application as evidence of anything", () => {
    const change = decideRunChange(run(), { yarn: yarnEnded("UNDEFINED") }, NOW, GRACE);
    expect(change?.patch.state).toBeUndefined();
    expect(change?.patch.yarnState).toBe("FINISHED");
  });

  it("prefers the job's own terminal state over YARN's", () => {
    const change = decideRunChange(run(), { flink: { source: "history-server", state: "FAILED", endTime: 5, failureCause: "NPE" }, yarn: yarnEnded("SUCCEEDED") }, NOW, GRACE);
    expect(change?.patch.state).toBe("FAILED");
    expect(change?.patch.finalStateSource).toBe("history-server");
    expect(change?.patch.failureCause).toBe("NPE");
  });

  it("keeps RESTARTING as RUNNING with the raw state and the restart count", () => {
    const change = decideRunChange(run(), { flink: { source: "flink", state: "RESTARTING", restarts: 2 } }, NOW, GRACE);
    expect(change?.patch.state).toBeUndefined();
    expect(change?.patch.flinkState).toBe("RESTARTING");
    expect(change?.patch.restarts).toBe(2);
  });

  it("becomes LOST only after the grace, and leaves LOST when seen again", () => {
    const first = decideRunChange(run(), { unknownEverywhere: true }, NOW, GRACE);
    expect(first?.patch).toEqual({ unseenSince: NOW });
    const unseen = run({ unseenSince: NOW });
    expect(decideRunChange(unseen, { unknownEverywhere: true }, new Date(NOW.getTime() + GRACE - 1), GRACE)).toBeUndefined();
    const lost = decideRunChange(unseen, { unknownEverywhere: true }, new Date(NOW.getTime() + GRACE), GRACE);
    expect(lost?.patch.state).toBe("LOST");
    expect(lost?.patch.endedAt).toBeUndefined();
    const back = decideRunChange(run({ state: "LOST", unseenSince: NOW }), { flink: { source: "flink", state: "RUNNING" } }, NOW, GRACE);
    expect(back?.patch).toMatchObject({ state: "RUNNING", unseenSince: null });
  });

  it("keeps a requested cancel while the job still runs", () => {
    expect(decideRunChange(run({ state: "CANCELLING" }), { flink: { source: "flink", state: "RUNNING" } }, NOW, GRACE)).toBeUndefined();
    expect(decideRunChange(run({ state: "CANCELLING" }), { flink: { source: "flink", state: "CANCELED" } }, NOW, GRACE)?.patch.state).toBe("CANCELED");
  });

  it("moves a deploying run on with the YARN application and the job", () => {
    const deploying = run({ state: "DEPLOYING", flinkState: null, startedAt: null, yarn: { ...run().yarn, state: "ACCEPTED" } });
    expect(decideRunChange(deploying, { yarn: { state: "ACCEPTED", finalStatus: "UNDEFINED", diagnostics: "", finishedTime: null } }, NOW, GRACE)).toBeUndefined();
    const running = decideRunChange(deploying, { flink: { source: "flink", state: "RUNNING", timestamps: { RUNNING: 1_000 } } }, NOW, GRACE);
    expect(running?.patch).toMatchObject({ state: "RUNNING", startedAt: new Date(1_000) });
    expect(running?.upstreamTime).toBe(1_000);
  });

  it("a steady sighting (isSteadySighting) is one decideRunChange writes nothing for, whatever the run's state", () => {
    const flinkStates = ["INITIALIZING", "CREATED", "RUNNING", "RESTARTING", "FAILING", "RECONCILING", "SUSPENDED", "CANCELLING", "FINISHED", "FAILED", "CANCELED", "SOMETHING_NEW"];
    let steady = 0;
    for (const state of RUN_STATES) {
      for (const flinkState of flinkStates) {
        for (const unseenSince of [null, NOW]) {
          const r = run({ state, flinkState, unseenSince });
          if (!isSteadySighting(r, flinkState)) continue;
          steady += 1;
          expect(decideRunChange(r, { flink: { source: "flink", state: flinkState } }, NOW, GRACE), `${state} / ${flinkState}`).toBeUndefined();
        }
      }
    }
    expect(steady).toBeGreaterThan(5);
    expect(isSteadySighting(run(), "RESTARTING")).toBe(false);
    expect(isSteadySighting(run({ unseenSince: NOW }), "RUNNING")).toBe(false);
    expect(isSteadySighting(run({ state: "CANCELLING" }), "RUNNING")).toBe(false);
  });

  it("a steady YARN sighting (isSteadyYarnSighting) is one decideRunChange writes nothing for", () => {
    const stored = { applicationId: "application_1_0001", tag: "t", state: "RUNNING", finalStatus: "UNDEFINED", diagnostics: null, amAddress: "h:1" };
    const apps = [
      { id: "application_1_0001", state: "RUNNING", finalStatus: "UNDEFINED", diagnostics: "", finishedTime: null, amAddress: "h:1" },
      { id: "application_1_0001", state: "RUNNING", finalStatus: "UNDEFINED", diagnostics: "", finishedTime: null },
      { id: "application_1_0001", state: "RUNNING", finalStatus: "UNDEFINED", diagnostics: "", finishedTime: null, amAddress: "h:2" },
      { id: "application_1_0001", state: "RUNNING", finalStatus: "UNDEFINED", diagnostics: "AM restarted", finishedTime: null, amAddress: "h:1" },
      { id: "application_1_0001", state: "ACCEPTED", finalStatus: "UNDEFINED", diagnostics: "", finishedTime: null, amAddress: "h:1" },
      { id: "application_1_0001", state: "FINISHED", finalStatus: "SUCCEEDED", diagnostics: "", finishedTime: 1, amAddress: "h:1" },
      { id: "application_1_0002", state: "RUNNING", finalStatus: "UNDEFINED", diagnostics: "", finishedTime: null, amAddress: "h:1" },
    ];
    let steady = 0;
    for (const state of RUN_STATES) {
      for (const app of apps) {
        for (const unseenSince of [null, NOW]) {
          for (const yarn of [stored, { ...stored, state: "ACCEPTED" }, { ...stored, applicationId: null }]) {
            const r = run({ state, unseenSince, yarn });
            if (!isSteadyYarnSighting(r, app)) continue;
            steady += 1;
            expect(decideRunChange(r, { yarn: app }, NOW, GRACE), `${state} / ${JSON.stringify(app)}`).toBeUndefined();
          }
        }
      }
    }
    expect(steady).toBeGreaterThan(5);
    expect(isSteadyYarnSighting(run(), apps[0]!)).toBe(true);
    expect(isSteadyYarnSighting(run({ state: "LOST" }), apps[0]!)).toBe(false);
  });
});
