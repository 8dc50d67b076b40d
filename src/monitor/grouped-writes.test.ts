import { describe, expect, it } from "vitest";
import type { Run } from "../domain/run.ts";
import type { RunChangeRequest } from "../runs/run-writer.ts";
import { groupWrites } from "./grouped-writes.ts";

const change = (runId: string): RunChangeRequest => ({ runId, from: ["RUNNING"], patch: { flinkState: "RESTARTING" }, source: "flink" });

/** A changeMany whose transactions end when the test says so. */
function slowDatabase() {
  const calls: Array<{ ids: string[]; finish(error?: Error): void }> = [];
  const changeMany = (changes: readonly RunChangeRequest[]) =>
    new Promise<(Run | undefined)[]>((resolve, reject) => {
      const ids = changes.map((c) => c.runId);
      calls.push({ ids, finish: (error) => (error ? reject(error) : resolve(ids.map((id) => (id.startsWith("gone") ? undefined : ({ id } as Run))))) });
    });
  return { calls, changeMany };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("groupWrites", () => {
  it("writes the first batch at once and the batches that arrive meanwhile together in the next transaction", async () => {
    const db = slowDatabase();
    const write = groupWrites(db.changeMany);
    const first = write([change("a")]);
    const second = write([change("b"), change("gone-c")]);
    const third = write([change("d")]);
    await tick();
    expect(db.calls.map((c) => c.ids)).toEqual([["a"]]);
    db.calls[0]!.finish();
    await tick();
    expect(db.calls.map((c) => c.ids)).toEqual([["a"], ["b", "gone-c", "d"]]);
    db.calls[1]!.finish();
    expect((await first).map((r) => r?.id)).toEqual(["a"]);
    expect((await second).map((r) => r?.id)).toEqual(["b", undefined]);
    expect((await third).map((r) => r?.id)).toEqual(["d"]);
  });

  it("holds the first batch for the linger time, so the batches just after it go in the same transaction", async () => {
    const db = slowDatabase();
    const write = groupWrites(db.changeMany, 30);
    const first = write([change("a")]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = write([change("b")]);
    await tick();
    expect(db.calls).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(db.calls.map((c) => c.ids)).toEqual([["a", "b"]]);
    db.calls[0]!.finish();
    expect((await first).map((r) => r?.id)).toEqual(["a"]);
    expect((await second).map((r) => r?.id)).toEqual(["b"]);
  });

  it("fails every batch of a failed transaction, and writes the next ones", async () => {
    const db = slowDatabase();
    const write = groupWrites(db.changeMany);
    const first = write([change("a")]);
    const second = write([change("b")]);
    const third = write([change("c")]);
    await tick();
    db.calls[0]!.finish();
    await tick();
    db.calls[1]!.finish(new Error("serialization failure"));
    await expect(second).rejects.toThrow("serialization failure");
    await expect(third).rejects.toThrow("serialization failure");
    expect((await first).map((r) => r?.id)).toEqual(["a"]);
    const fourth = write([change("e")]);
    await tick();
    db.calls[2]!.finish();
    expect((await fourth).map((r) => r?.id)).toEqual(["e"]);
  });
});
