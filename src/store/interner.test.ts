import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { createInterner } from "./interner.ts";

/** A string equal to `text` but built at run time, as a database row's is: a copy of its own. */
const copyOf = (text: string) => [...text].join("");

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

/** Heap bytes still used by what `make` returns, after a full collection. */
function retainedBytes(make: () => unknown): { bytes: number; kept: unknown } {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = make();
  gc();
  return { bytes: process.memoryUsage().heapUsed - before, kept };
}

describe("createInterner", () => {
  it("gives back equal values", () => {
    const intern = createInterner();
    expect(intern(copyOf("RUNNING"))).toBe("RUNNING");
    expect(intern(copyOf("RUNNING"))).toBe("RUNNING");
    expect(intern(copyOf("FAILED"))).toBe("FAILED");
  });

  it("keeps one copy of a value however many rows bring it", () => {
    const intern = createInterner();
    const rows = 50_000;
    const copies = retainedBytes(() => Array.from({ length: rows }, () => copyOf("RESTARTING")));
    const interned = retainedBytes(() => Array.from({ length: rows }, () => intern(copyOf("RESTARTING"))));
    // Both hold an array of 50,000 slots (400 kB); the copies add a string object each (about 32 bytes).
    expect(copies.bytes - interned.bytes).toBeGreaterThan(rows * 20);
  });

  it("keeps at most `limit` values and passes the rest through", () => {
    const intern = createInterner(2);
    intern("RUNNING");
    intern("FAILED");
    const late = retainedBytes(() => Array.from({ length: 50_000 }, () => intern(copyOf("FINISHED"))));
    expect(late.bytes).toBeGreaterThan(50_000 * 20);
    expect(intern(copyOf("RUNNING"))).toBe("RUNNING");
  });
});
