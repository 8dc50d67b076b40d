import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { packageRoot } from "./package-root.ts";

const scratch = mkdtempSync(path.join(tmpdir(), "flinkgate-root-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("packageRoot", () => {
  it("is the repository from the sources", () => {
    expect(packageRoot()).toBe(fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, ""));
  });

  it("is the nearest directory above the module holding a package.json, as for the bundle in dist/", () => {
    const app = path.join(scratch, "app");
    mkdirSync(path.join(app, "dist"), { recursive: true });
    writeFileSync(path.join(app, "package.json"), "{}");
    expect(packageRoot(path.join(app, "dist", "main.mjs"))).toBe(app);
    expect(packageRoot(path.join(app, "main.mjs"))).toBe(app);
  });

  it("says where it looked when there is none", () => {
    expect(() => packageRoot("/main.mjs")).toThrow("no package.json above /main.mjs");
  });
});
