import { describe, expect, it } from "vitest";
import { newId, ulid } from "./ids.ts";
import { grants } from "./scopes.ts";

describe("ulid", () => {
  it("is 26 Crockford characters ordered by time", () => {
    const a = ulid({ now: () => new Date(1_700_000_000_000) });
    const b = ulid({ now: () => new Date(1_700_000_000_001) });
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(a < b).toBe(true);
  });

  it("encodes the time prefix exactly and uses the random source", () => {
    const id = ulid({ now: () => new Date(0) }, (n) => new Uint8Array(n).fill(255));
    expect(id).toBe("0000000000" + "Z".repeat(16));
    expect(newId("run", { now: () => new Date(0) }, (n) => new Uint8Array(n))).toBe("run_" + "0".repeat(26));
  });
});

describe("grants", () => {
  it("lets admin do anything and write imply read", () => {
    expect(grants(["admin"], "runs:write")).toBe(true);
    expect(grants(["runs:write"], "runs:read")).toBe(true);
    expect(grants(["runs:read"], "runs:write")).toBe(false);
    expect(grants([], "runs:read")).toBe(false);
  });
});
