import { describe, expect, it } from "vitest";
import { ValidationError } from "../domain/errors.ts";
import { sessionTargetSchema, yarnTargetSchema } from "../domain/target.ts";
import { launchIssues, launcherFor } from "./create-launcher.ts";
import { InMemoryJarCache } from "./jar-cache.ts";
import { createLaunchClients } from "./launch-clients.ts";

const session = sessionTargetSchema.parse({ name: "s", kind: "session", restUrl: "http://jm:8081" });
const yarnRest = yarnTargetSchema.parse({ name: "y", kind: "yarn", rmUrls: ["http://rm:8088"], flinkDistUri: "hdfs:///flink/dist.jar" });
const yarnCli = yarnTargetSchema.parse({ name: "c", kind: "yarn", rmUrls: ["http://rm:8088"], launcher: "flink-cli", flinkHome: "/opt/flink", flinkVersion: "1.18.1" });

describe("launcherFor", () => {
  const deps = { clients: createLaunchClients(), jarCache: new InMemoryJarCache() };

  it("accepts the combinations that have a submission path", () => {
    expect(launchIssues(session, "session")).toEqual([]);
    expect(launchIssues(yarnRest, "application")).toEqual([]);
    expect(launchIssues(yarnCli, "application")).toEqual([]);
    expect(launchIssues(yarnCli, "per-job")).toEqual([]);
    expect(() => launcherFor(yarnCli, "per-job", deps)).not.toThrow();
  });

  it.each([
    [session, "application", "mode", "needs a yarn target"],
    [yarnRest, "session", "mode", "register its REST URL as a session target"],
    [yarnRest, "per-job", "mode", "job graph compiled by the Flink client"],
    [{ ...yarnCli, flinkVersion: "2.0.0" }, "per-job", "mode", "removed in Flink 2.0"],
    [{ ...yarnRest, flinkDistUri: undefined }, "application", "target.flinkDistUri", "flinkDistUri"],
    [{ ...yarnCli, flinkHome: undefined }, "application", "target.flinkHome", "bin/flink"],
  ] as const)("refuses %#: %s", (target, mode, field, text) => {
    const err = (() => {
      try {
        launcherFor(target, mode, deps);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toContainEqual({ field, message: expect.stringContaining(text) });
  });
});
