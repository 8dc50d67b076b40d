import { z } from "zod";

/**
 * Where jobs run. The same zod schemas validate the API bodies (http/) and
 * the stored spec (store/), so a stored target is always a valid one.
 */
const url = z.url({ protocol: /^https?$/ });
const flinkConfig = z.record(z.string(), z.string());

const targetName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be lower-case letters, digits and dashes (1–63), starting and ending with a letter or digit");

export const sessionTargetSchema = z.strictObject({
  name: targetName,
  kind: z.literal("session"),
  restUrl: url,
  historyServerUrl: url.optional(),
  /** Sent with every request to the cluster (e.g. an auth header of a fronting proxy). */
  headers: z.record(z.string(), z.string()).default({}),
});

export const yarnTargetSchema = z.strictObject({
  name: targetName,
  kind: z.literal("yarn"),
  rmUrls: z.array(url).min(1).max(8),
  historyServerUrl: url.optional(),
  launcher: z.enum(["yarn-rest", "flink-cli"]).default("yarn-rest"),
  queue: z.string().min(1).default("default"),
  /** The user YARN runs the application as (`user.name` on RM REST calls). */
  user: z.string().min(1).optional(),
  flinkVersion: z.string().regex(/^\d+\.\d+(\.\d+)?$/, "must look like 1.18.1").optional(),
  flinkDistUri: z.string().min(1).optional(),
  libUris: z.array(z.string().min(1)).default([]),
  pluginUris: z.array(z.string().min(1)).default([]),
  flinkConfig: flinkConfig.default({}),
  /** Where the Flink client is installed (flink-cli launcher): `<flinkHome>/bin/flink`. */
  flinkHome: z.string().min(1).optional(),
  /** WebHDFS base URL (`http://namenode:9870`): yarn-rest reads the size and time YARN needs of each hdfs:// resource there. */
  webHdfsUrl: url.optional(),
  /** Extra environment for the Flink CLI process (HADOOP_CONF_DIR, …). */
  cliEnv: z.record(z.string(), z.string()).default({}),
  /** AM container memory (MB) and vcores for yarn-rest submissions. */
  jobManagerMemoryMb: z.number().int().min(256).default(1600),
  jobManagerVcores: z.number().int().min(1).default(1),
});

export const targetSchema = z.discriminatedUnion("kind", [sessionTargetSchema, yarnTargetSchema]);

export type SessionTarget = z.output<typeof sessionTargetSchema>;
export type YarnTarget = z.output<typeof yarnTargetSchema>;
export type Target = z.output<typeof targetSchema>;
