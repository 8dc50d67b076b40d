import type { YarnTarget } from "../domain/target.ts";
import type { YarnLocalResource, YarnSubmitInput } from "../yarn/yarn-submission.ts";
import type { ResourceStat } from "./resource-stat.ts";

/** The entry point an application cluster's AM runs (NOTES-flink-on-yarn.md "Deployment modes"). */
export const APPLICATION_ENTRY_POINT = "org.apache.flink.yarn.entrypoint.YarnApplicationClusterEntryPoint";

/** Files the entry point reads from its working directory rather than the classpath. */
const CONFIG_FILES = new Set(["flink-conf.yaml", "config.yaml", "log4j.properties", "log4j-console.properties"]);

export interface AmSpecInput {
  applicationId: string;
  name: string;
  target: YarnTarget;
  flinkDistUri: string;
  /** The user jar: localized under `usrlib/`, where the entry point looks up `pipeline.jars` by file name. */
  artifactUri: string;
  /** Every `-D` dynamic property of the entry point. */
  config: Record<string, string>;
  tags: readonly string[];
  stat: ResourceStat;
}

/**
 * The AM container of an application cluster, laid out as Flink's
 * YarnClusterDescriptor does: dist jar at the root, `lib/`, `plugins/<name>/`,
 * `usrlib/`, the JVM started with the entry point class followed by
 * `-D key=value` dynamic properties, which the entry point applies over the
 * config file in its working directory. Sending the whole configuration as
 * dynamic properties avoids writing a config file to HDFS (the RM REST API
 * cannot upload one); a site config file can still come as a lib URI named
 * `flink-conf.yaml` / `config.yaml`, localized at the root.
 */
export async function buildAmSpec(input: AmSpecInput): Promise<YarnSubmitInput> {
  const { target } = input;
  const placed: Array<[string, string, "PUBLIC" | "APPLICATION"]> = [
    [basename(input.flinkDistUri), input.flinkDistUri, "PUBLIC"],
    ...target.libUris.map((u): [string, string, "PUBLIC"] => [CONFIG_FILES.has(basename(u)) ? basename(u) : `lib/${basename(u)}`, u, "PUBLIC"]),
    ...target.pluginUris.map((u): [string, string, "PUBLIC"] => [pluginKey(u), u, "PUBLIC"]),
    [`usrlib/${basename(input.artifactUri)}`, input.artifactUri, "APPLICATION"],
  ];
  const localResources: Record<string, YarnLocalResource> = {};
  for (const [key, uri, visibility] of placed) {
    const facts = await input.stat(uri);
    localResources[key] = { resource: uri, type: isArchive(uri) ? "ARCHIVE" : "FILE", visibility, ...facts };
  }
  const systemClasspath = Object.keys(localResources).filter((k) => k.startsWith("lib/") || k === basename(input.flinkDistUri));
  const describe = (key: string): string => {
    const r = localResources[key]!;
    // YarnLocalResourceDescriptor#toString, which the AM parses to give TaskManagers the same files.
    return `YarnLocalResourceDescriptor{key=${key}, path=${r.resource}, size=${r.size}, modificationTime=${r.timestamp}, visibility=${r.visibility}, type=${r.type}}`;
  };
  const environment: Record<string, string> = {
    _APP_ID: input.applicationId,
    _FLINK_CLASSPATH: [...systemClasspath, "."].join("<CPS>"),
    _FLINK_DIST_JAR: describe(basename(input.flinkDistUri)),
    _CLIENT_SHIP_FILES: Object.keys(localResources).filter((k) => k !== basename(input.flinkDistUri)).map(describe).join(";"),
    // <CPS> and {{VAR}} are YARN's cross-platform classpath separator and variable expansion.
    CLASSPATH: [...systemClasspath, ".", "{{HADOOP_CONF_DIR}}", "{{HADOOP_COMMON_HOME}}/share/hadoop/common/*", "{{HADOOP_COMMON_HOME}}/share/hadoop/common/lib/*", "{{HADOOP_HDFS_HOME}}/share/hadoop/hdfs/*", "{{HADOOP_YARN_HOME}}/share/hadoop/yarn/*"].join("<CPS>"),
    ...(target.user !== undefined && { HADOOP_USER_NAME: target.user }),
  };
  const memoryMb = target.jobManagerMemoryMb;
  const config: Record<string, string> = { ...input.config, "jobmanager.memory.process.size": `${memoryMb}m` };
  const command = [
    "{{JAVA_HOME}}/bin/java",
    `-Xmx${heapMb(memoryMb)}m`,
    `-Xms${heapMb(memoryMb)}m`,
    "-Dlog.file=<LOG_DIR>/jobmanager.log",
    "-Dlog4j.configurationFile=file:log4j.properties",
    APPLICATION_ENTRY_POINT,
    ...Object.entries(config).map(([k, v]) => `-D ${shellQuote(`${k}=${v}`)}`),
    "1> <LOG_DIR>/jobmanager.out",
    "2> <LOG_DIR>/jobmanager.err",
  ].join(" ");
  return {
    applicationId: input.applicationId,
    name: input.name,
    command,
    localResources,
    environment,
    resource: { memoryMb, vCores: target.jobManagerVcores },
    tags: input.tags,
    type: "Apache Flink",
    queue: config["yarn.application.queue"] ?? target.queue,
    ...(config["yarn.application-attempts"] !== undefined && { maxAppAttempts: Number(config["yarn.application-attempts"]) }),
    // Flink's default yarn.application-attempt-failures-validity-interval (NOTES-flink-on-yarn.md).
    attemptFailuresValidityIntervalMs: Number(config["yarn.application-attempt-failures-validity-interval"] ?? 10_000),
  };
}

/** Flink's JobManager memory model with default fractions: metaspace 256m, off-heap 128m, overhead 10% in [192m, 1g]. */
function heapMb(processMb: number): number {
  const overhead = Math.min(1024, Math.max(192, Math.floor(processMb * 0.1)));
  return Math.max(128, processMb - 256 - 128 - overhead);
}

/** Single-quoted for the container's bash launch script; `'` as `'"'"'`. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

function basename(uri: string): string {
  return new URL(uri).pathname.split("/").filter((p) => p !== "").pop() ?? "resource";
}

/** `…/plugins/<name>/<jar>` keeps its plugin directory; a bare jar gets one named after it. */
function pluginKey(uri: string): string {
  const parts = new URL(uri).pathname.split("/").filter((p) => p !== "");
  const at = parts.lastIndexOf("plugins");
  if (at >= 0 && parts.length - at === 3) return parts.slice(at).join("/");
  const jar = parts.at(-1) ?? "plugin.jar";
  return `plugins/${jar.replace(/\.jar$/, "")}/${jar}`;
}

function isArchive(uri: string): boolean {
  return /\.(zip|tgz|tar\.gz|tar)$/.test(new URL(uri).pathname);
}
