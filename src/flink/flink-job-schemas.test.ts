import { describe, expect, it } from "vitest";
import { jobsOverviewSchema } from "./flink-job-schemas.ts";

const job = { jid: "a".repeat(32), name: "orders", state: "RUNNING", "start-time": 1, "end-time": -1, "last-modification": 5, tasks: { running: 2, total: 2 } };

describe("jobsOverviewSchema", () => {
  it("maps each job, end-time -1 to null, and keeps the task counts", () => {
    expect(jobsOverviewSchema.parse({ jobs: [job] })).toEqual([
      { jobId: job.jid, name: "orders", state: "RUNNING", startTime: 1, endTime: null, durationMs: undefined, lastModification: 5, tasks: { running: 2, total: 2 } },
    ]);
  });

  it("rejects task counts that are not numbers, naming where", () => {
    for (const tasks of [{ running: "2" }, [1, 2], null]) {
      const parsed = jobsOverviewSchema.safeParse({ jobs: [{ ...job, tasks }] });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(["jobs", 0, "tasks"]);
    }
  });
});
