import { describe, expect, it } from "vitest";
import { BoundedLabel, OTHER, methodLabel, runStateLabel, statusLabel } from "./labels.ts";

describe("label normalizers", () => {
  it("keeps normalized run states and folds anything else into other", () => {
    expect(runStateLabel("RUNNING")).toBe("RUNNING");
    expect(runStateLabel("lost")).toBe("LOST");
    // A raw Flink state is not a normalized one.
    expect(runStateLabel("RESTARTING")).toBe(OTHER);
    expect(runStateLabel("run_01J9ZX")).toBe(OTHER);
  });

  it("bounds methods and status codes", () => {
    expect(methodLabel("post")).toBe("POST");
    expect(methodLabel("PROPFIND")).toBe(OTHER);
    expect(statusLabel(404)).toBe("404");
    expect(statusLabel(0)).toBe(OTHER);
    expect(statusLabel(200.5)).toBe(OTHER);
  });
});

describe("BoundedLabel", () => {
  it("keeps the first values up to the limit and maps later ones to other", () => {
    const label = new BoundedLabel(2, "unmatched");
    expect(label.value("/a")).toBe("/a");
    expect(label.value("/b")).toBe("/b");
    expect(label.value("/c")).toBe(OTHER);
    // Values admitted before the cap keep their name afterwards.
    expect(label.value("/a")).toBe("/a");
  });

  it("names a missing value instead of emitting an empty label", () => {
    const label = new BoundedLabel(5, "unmatched");
    expect(label.value(undefined)).toBe("unmatched");
    expect(label.value("")).toBe("unmatched");
  });
});
