import { z } from "zod";
import { ValidationError } from "../domain/errors.ts";
import type { FieldIssue } from "../domain/errors.ts";

const entries = <T extends z.ZodType>(value: T) => z.object({ entry: z.array(z.object({ key: z.string(), value })) });

const localResourceSchema = z.object({
  resource: z.string(),
  type: z.enum(["FILE", "ARCHIVE", "PATTERN"]),
  visibility: z.enum(["PUBLIC", "PRIVATE", "APPLICATION"]),
  size: z.number(),
  timestamp: z.number(),
});

/** `POST /ws/v1/cluster/apps` body: an `application-submission-context` without a root wrapper. */
export const submissionContextSchema = z.object({
  "application-id": z.string(),
  "application-name": z.string().optional(),
  queue: z.string().optional(),
  priority: z.number().optional(),
  "am-container-spec": z.object({
    "local-resources": entries(localResourceSchema).optional(),
    environment: entries(z.string()).optional(),
    commands: z.object({ command: z.string() }),
  }),
  "unmanaged-AM": z.boolean().optional(),
  "max-app-attempts": z.number().optional(),
  resource: z.object({ memory: z.number(), vCores: z.number() }),
  "application-type": z.string().optional(),
  "keep-containers-across-application-attempts": z.boolean().optional(),
  /** JAXB wraps each tag in `tag`; the docs show only XML, so this JSON form is inferred (yarn/NOTES.md). */
  "application-tags": z.object({ tag: z.array(z.string()) }).optional(),
  "attempt-failures-validity-interval": z.number().optional(),
  "log-aggregation-context": z.record(z.string(), z.string()).optional(),
  "reservation-id": z.string().optional(),
  "am-black-listing-requests": z.object({ "am-black-listing-enabled": z.boolean(), "disable-failure-threshold": z.number() }).optional(),
});
export type SubmissionContext = z.infer<typeof submissionContextSchema>;

export interface YarnLocalResource {
  /** A URL the NodeManager can fetch (`hdfs://…`). */
  resource: string;
  type?: "FILE" | "ARCHIVE" | "PATTERN";
  visibility?: "PUBLIC" | "PRIVATE" | "APPLICATION";
  /** The NodeManager checks size and modification time against the file. */
  size: number;
  timestamp: number;
}

/** What the gateway decides about an application master container. */
export interface YarnSubmitInput {
  applicationId: string;
  name: string;
  /** The AM's shell command line (`{{JAVA_HOME}}/bin/java … 1><LOG_DIR>/jobmanager.out`). */
  command: string;
  localResources?: Record<string, YarnLocalResource>;
  environment?: Record<string, string>;
  resource: { memoryMb: number; vCores: number };
  /** Lower-cased here, as the RM does; at most 10 of at most 100 chars. */
  tags?: readonly string[];
  /** Default `Apache Flink`, what the Flink client submits when `yarn.application.type` is unset. */
  type?: string;
  queue?: string;
  priority?: number;
  maxAppAttempts?: number;
  attemptFailuresValidityIntervalMs?: number;
  keepContainersAcrossApplicationAttempts?: boolean;
}

const MAX_TAGS = 10; // yarn.resourcemanager.application.max-tags
const MAX_TAG_LENGTH = 100; // yarn.resourcemanager.application.max-tag.length

export function buildSubmissionContext(input: YarnSubmitInput): SubmissionContext {
  const tags = (input.tags ?? []).map((t) => t.trim().toLowerCase()).filter((t) => t !== "");
  const issues: FieldIssue[] = [];
  if (tags.length > MAX_TAGS) issues.push({ field: "tags", message: `at most ${MAX_TAGS} tags` });
  tags.forEach((t, i) => {
    if (t.length > MAX_TAG_LENGTH) issues.push({ field: `tags.${i}`, message: `longer than ${MAX_TAG_LENGTH} chars` });
    if (t.includes(",")) issues.push({ field: `tags.${i}`, message: "a tag cannot contain ',' (the RM joins tags with commas)" });
  });
  if (issues.length > 0) throw new ValidationError(issues);

  const local = Object.entries(input.localResources ?? {});
  const env = Object.entries(input.environment ?? {});
  return {
    "application-id": input.applicationId,
    "application-name": input.name,
    ...(input.queue !== undefined && { queue: input.queue }),
    ...(input.priority !== undefined && { priority: input.priority }),
    "am-container-spec": {
      ...(local.length > 0 && {
        "local-resources": {
          entry: local.map(([key, r]) => ({
            key,
            value: { resource: r.resource, type: r.type ?? "FILE", visibility: r.visibility ?? "APPLICATION", size: r.size, timestamp: r.timestamp },
          })),
        },
      }),
      ...(env.length > 0 && { environment: { entry: env.map(([key, value]) => ({ key, value })) } }),
      commands: { command: input.command },
    },
    "unmanaged-AM": false,
    ...(input.maxAppAttempts !== undefined && { "max-app-attempts": input.maxAppAttempts }),
    resource: { memory: input.resource.memoryMb, vCores: input.resource.vCores },
    "application-type": input.type ?? "Apache Flink",
    ...(input.keepContainersAcrossApplicationAttempts !== undefined && {
      "keep-containers-across-application-attempts": input.keepContainersAcrossApplicationAttempts,
    }),
    ...(tags.length > 0 && { "application-tags": { tag: tags } }),
    ...(input.attemptFailuresValidityIntervalMs !== undefined && {
      "attempt-failures-validity-interval": input.attemptFailuresValidityIntervalMs,
    }),
  };
}
