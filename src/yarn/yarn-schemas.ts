import { z } from "zod";
import {
  yarnAppStateSchema,
  yarnFinalStatusSchema,
  yarnHaStateSchema,
  yarnServiceStateSchema,
  yarnTrackingUiSchema,
} from "./yarn-enums.ts";

/**
 * The RM `app` object, the fields flinkgate reads (the RM sends about thirty:
 * resource usage, log links, preemption counts — stripped here, as the
 * monitor parses thousands of these per tick). Only identity and state are
 * required: apps the caller may not view come back with reduced fields, and
 * new fields appear across Hadoop versions (yarn/NOTES.md).
 * `decodeYarnAppList` checks the same fields for the list.
 */
export const yarnAppSchema = z
  .object({
    id: z.string(),
    user: z.string().optional(),
    name: z.string().optional(),
    queue: z.string().optional(),
    state: yarnAppStateSchema,
    finalStatus: yarnFinalStatusSchema,
    trackingUI: yarnTrackingUiSchema.optional(),
    trackingUrl: z.string().optional(), // absent while UNASSIGNED
    diagnostics: z.string().optional(),
    applicationType: z.string().optional(),
    /** One comma-joined, lower-cased string, `""` when none — not an array. */
    applicationTags: z.string().optional(),
    priority: z.union([z.number(), z.string()]).optional(), // docs say string, the RM sends a number
    startedTime: z.number().optional(),
    finishedTime: z.number().optional(), // 0 while running
    /** For Flink this is `host:restPort` of the JobManager REST API (NOTES-flink-on-yarn.md). */
    amRPCAddress: z.string().optional(),
  })
  .transform((a) => ({
    ...a,
    diagnostics: a.diagnostics ?? "",
    tags: splitAppTags(a.applicationTags),
    finishedTime: a.finishedTime ? a.finishedTime : null,
    priority: toAppPriority(a.priority),
  }));
export type YarnApp = z.output<typeof yarnAppSchema>;

/** `applicationTags` as a list; shared with `decodeYarnAppList`. */
export function splitAppTags(applicationTags: string | undefined): string[] {
  const tags: string[] = [];
  if (!applicationTags) return tags;
  for (const tag of applicationTags.split(",")) {
    const trimmed = tag.trim();
    if (trimmed !== "") tags.push(trimmed);
  }
  return tags;
}

/** A numeric string priority as a number; shared with `decodeYarnAppList`. */
export function toAppPriority(priority: number | string | undefined): number | string | undefined {
  return typeof priority === "string" && /^-?\d+$/.test(priority) ? Number(priority) : priority;
}

/**
 * `GET /ws/v1/cluster/apps`. Empty results come as `{"apps": {}}` (3.x),
 * `{"apps": null}` (2.x) or possibly something else after the Jersey-2
 * migration; JAXB-style JSON may also collapse a one-element list into an object.
 */
export const yarnAppListSchema = z
  .object({
    apps: z
      .object({ app: z.union([z.array(yarnAppSchema), yarnAppSchema]).nullish() })
      .nullish(),
  })
  .transform((l) => {
    const app = l.apps?.app;
    if (!app) return [];
    return Array.isArray(app) ? app : [app];
  });

/** `GET /ws/v1/cluster/apps/{id}` → `{"app": {...}}`. */
export const yarnAppResponseSchema = z.object({ app: yarnAppSchema }).transform((r) => r.app);

/** `GET /ws/v1/cluster/info`; exempt from standby redirection, so `haState` tells which RM is active. */
export const yarnClusterInfoSchema = z
  .object({
    clusterInfo: z.object({
      id: z.number(),
      startedOn: z.number().optional(),
      state: yarnServiceStateSchema,
      haState: yarnHaStateSchema,
      rmStateStoreName: z.string().optional(),
      resourceManagerVersion: z.string().optional(),
      hadoopVersion: z.string().optional(),
      haZooKeeperConnectionState: z.string().optional(),
    }),
  })
  .transform((r) => r.clusterInfo);
export type YarnClusterInfo = z.output<typeof yarnClusterInfoSchema>;

/** `GET|PUT /ws/v1/cluster/apps/{id}/state` (request and response share the shape). */
export const yarnAppStateBodySchema = z.object({ state: yarnAppStateSchema, diagnostics: z.string().optional() });

/** `POST /ws/v1/cluster/apps/new-application`; the DAO uses the singular `maximum-resource-capability`. */
export const yarnNewApplicationSchema = z
  .object({
    "application-id": z.string(),
    "maximum-resource-capability": z.object({ memory: z.number(), vCores: z.number() }),
  })
  .transform((n) => ({
    applicationId: n["application-id"],
    maximumResourceCapability: { memoryMb: n["maximum-resource-capability"].memory, vCores: n["maximum-resource-capability"].vCores },
  }));

/** The RM error body (yarn/NOTES.md "Error shape"). */
export const yarnRemoteExceptionSchema = z.object({
  RemoteException: z.object({ exception: z.string(), message: z.string(), javaClassName: z.string().optional() }),
});
