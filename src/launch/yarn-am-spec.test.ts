import { describe, expect, it } from "vitest";
import { parseAmCommand, parseConfigList } from "../../emulator/yarn-submission.ts";
import { yarnTargetSchema } from "../domain/target.ts";
import { buildSubmissionContext } from "../yarn/yarn-submission.ts";
import { fixedStat, makeRun } from "./launch-test-support.ts";
import { APPLICATION_ENTRY_POINT, buildAmSpec, shellQuote } from "./yarn-am-spec.ts";
import { encodeConfigList, programOptionsConfig, yarnRunConfig } from "./yarn-job-config.ts";

const target = yarnTargetSchema.parse({
  name: "y1",
  kind: "yarn",
  rmUrls: ["http://rm:8088"],
  queue: "etl",
  flinkDistUri: "hdfs:///flink/flink-dist-1.18.1.jar",
  libUris: ["hdfs:///flink/lib/kafka.jar", "hdfs:///flink/conf/flink-conf.yaml"],
  pluginUris: ["hdfs:///flink/plugins/s3/flink-s3.jar", "hdfs:///extra/metrics.jar"],
  flinkConfig: { "taskmanager.numberOfTaskSlots": "2", "state.backend.type": "rocksdb" },
});

describe("yarn run config", () => {
  it("layers target < job < flinkgate-owned keys", () => {
    const run = makeRun("application", {
      flinkConfig: { "state.backend.type": "hashmap", "yarn.tags": "team-a, ,x", "$internal.pipeline.job-id": "0".repeat(32), "yarn.application.queue": "adhoc" },
    });
    const config = yarnRunConfig(run, target);
    expect(config).toMatchObject({
      "taskmanager.numberOfTaskSlots": "2",
      "state.backend.type": "hashmap",
      "$internal.pipeline.job-id": run.flinkJobId,
      "yarn.tags": `team-a,x,${run.yarn.tag}`,
      "yarn.application.queue": "adhoc",
      "yarn.application.name": "orders",
    });
  });

  it("names program options by version", () => {
    const spec = makeRun("application", { parallelism: 4, savepointPath: "hdfs:///sp/1", allowNonRestoredState: true, restoreMode: "CLAIM" }).spec;
    expect(programOptionsConfig(spec, "1.18.1")).toEqual({
      "parallelism.default": "4",
      "execution.savepoint.path": "hdfs:///sp/1",
      "execution.savepoint.ignore-unclaimed-state": "true",
      "execution.savepoint-restore-mode": "CLAIM",
    });
    expect(programOptionsConfig(spec, "2.0.0")).toHaveProperty("execution.state-recovery.claim-mode", "CLAIM");
    expect(programOptionsConfig(spec, "1.14.6")).not.toHaveProperty("execution.savepoint-restore-mode");
  });

  it("encodes list options in the version's syntax, which the emulator decodes back", () => {
    const items = ["--sql", "SELECT 'a'; SELECT \"b\"", "plain"];
    expect(encodeConfigList(items, "2.0.0")).toBe(`["--sql", "SELECT 'a'; SELECT \\"b\\"", "plain"]`);
    expect(parseConfigList(encodeConfigList(items, "2.0.0"))).toEqual(items);
    expect(encodeConfigList(["a b", "c;d", "it's"], "1.18.1")).toBe("a b;'c;d';'it''s'");
    expect(parseConfigList(encodeConfigList(items, "1.18.1"))).toEqual(items);
  });
});

describe("AM container spec", () => {
  it("lays out resources like Flink's client and passes every config key as a dynamic property the emulator reads", async () => {
    const config = { "$internal.pipeline.job-id": "ab".repeat(16), "pipeline.name": "it's a job", "yarn.application.queue": "etl" };
    const spec = await buildAmSpec({
      applicationId: "application_1_0007", name: "orders", target, flinkDistUri: target.flinkDistUri!,
      artifactUri: "hdfs:///jobs/orders-1.0.jar", config, tags: ["flinkgate-run-x"], stat: fixedStat,
    });
    expect(Object.keys(spec.localResources ?? {}).sort()).toEqual([
      "flink-conf.yaml", "flink-dist-1.18.1.jar", "lib/kafka.jar", "plugins/metrics/metrics.jar", "plugins/s3/flink-s3.jar", "usrlib/orders-1.0.jar",
    ]);
    expect(spec.localResources?.["usrlib/orders-1.0.jar"]).toMatchObject({ visibility: "APPLICATION", type: "FILE", size: 27_000 });
    expect(spec.environment?.["_FLINK_DIST_JAR"]).toContain("key=flink-dist-1.18.1.jar, path=hdfs:///flink/flink-dist-1.18.1.jar");
    expect(spec.command).toContain(`${APPLICATION_ENTRY_POINT} -D `);
    expect(spec.command).toMatch(/-Xmx1024m .* 1> <LOG_DIR>\/jobmanager\.out 2> <LOG_DIR>\/jobmanager\.err$/);
    const parsed = parseAmCommand(spec.command);
    expect(parsed.entrypoint).toBe("application");
    expect(parsed.dynamicProperties).toEqual({ ...config, "jobmanager.memory.process.size": "1600m" });

    const body = buildSubmissionContext(spec);
    expect(body).toMatchObject({ "application-type": "Apache Flink", queue: "etl", resource: { memory: 1600, vCores: 1 }, "application-tags": { tag: ["flinkgate-run-x"] } });
  });

  it("quotes for bash so that a quote inside a value survives", () => {
    expect(shellQuote("a='b'")).toBe(`'a='"'"'b'"'"''`);
  });
});
