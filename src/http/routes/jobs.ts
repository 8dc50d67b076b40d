import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ValidationError } from "../../domain/errors.ts";
import { jobNameSchema, jobSpecSchema, namedJobSchema } from "../../domain/job.ts";
import type { JobService } from "../../jobs/job-service.ts";
import type { JobVersion } from "../../store/job-repository.ts";
import type { AppEnv } from "../env.ts";
import { requireScope } from "../middleware/auth.ts";
import { bearerSecurity, errorResponses, idempotencyHeader, jsonContent, READ_ERRORS, WRITE_ERRORS } from "../openapi.ts";
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from "../pagination.ts";

const JobSchema = jobSpecSchema
  .extend({
    name: jobNameSchema,
    version: z.number().int().min(1).openapi({ description: "Starts at 1; every change adds one. Numbers continue after a delete and re-create." }),
    createdAt: z.string().openapi({ format: "date-time", description: "When the job was first created." }),
    updatedAt: z.string().openapi({ format: "date-time", description: "When this version was created." }),
  })
  .openapi("Job");

const REFERENCES = "`target` must name an existing target whose kind runs `mode` (session → `session`; yarn → `per-job`, `application`); `artifact.id` must name an uploaded artifact.";
const CreateJobSchema = namedJobSchema.openapi("CreateJob", { description: `A named job definition. ${REFERENCES}` });
const JobSpecSchema = jobSpecSchema.openapi("JobSpec", { description: `A job definition; the name is in the path. ${REFERENCES}` });

const nameParam = z.object({ name: z.string().min(1).max(128).openapi({ param: { name: "name", in: "path" } }) });
/** PUT may create the job, so its path name must be a valid new name. */
const newNameParam = z.object({ name: jobNameSchema.openapi({ param: { name: "name", in: "path" } }) });
const versionQuery = z.object({
  version: z.coerce.number().int().min(1).optional().openapi({ description: "An older version; the latest when absent." }),
});

export function jobJson(job: JobVersion) {
  return { name: job.name, version: job.version, ...job.spec, createdAt: job.jobCreatedAt.toISOString(), updatedAt: job.createdAt.toISOString() };
}

const read = { tags: ["jobs"], security: bearerSecurity, middleware: [requireScope("jobs:read")] };
const write = { tags: ["jobs"], security: bearerSecurity, middleware: [requireScope("jobs:write")] };

export function jobRoutes(deps: { jobs: JobService }) {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        ...write,
        method: "post",
        path: "/v1/jobs",
        summary: "Create a job (version 1)",
        request: { headers: idempotencyHeader, body: { required: true, content: { "application/json": { schema: CreateJobSchema } } } },
        responses: { 201: jsonContent(JobSchema, "Created"), ...errorResponses(...WRITE_ERRORS) },
      }),
      async (c) => {
        const { name, ...spec } = c.req.valid("json");
        const job = await deps.jobs.create(name, spec);
        c.header("location", `/v1/jobs/${job.name}`);
        return c.json(jobJson(job), 201);
      },
    )
    .openapi(
      createRoute({
        ...read,
        method: "get",
        path: "/v1/jobs",
        summary: "List jobs (their latest versions), by name",
        request: { query: pageQuerySchema },
        responses: { 200: jsonContent(pageSchema(JobSchema, "JobPage"), "A page of jobs"), ...errorResponses(...READ_ERRORS) },
      }),
      async (c) => {
        const { limit, cursor } = c.req.valid("query");
        const after = decodeCursor(cursor, 1)?.[0];
        const rows = await deps.jobs.list({ limit: limit + 1, after: after === undefined ? undefined : String(after) });
        const page = toPage(rows, limit, (j) => [j.name]);
        return c.json({ items: page.items.map(jobJson), nextCursor: page.nextCursor }, 200);
      },
    )
    .openapi(
      createRoute({
        ...read,
        method: "get",
        path: "/v1/jobs/{name}",
        summary: "Get a job: its latest version, or `?version=N`",
        request: { params: nameParam, query: versionQuery },
        responses: { 200: jsonContent(JobSchema, "The job"), ...errorResponses(...READ_ERRORS, 404) },
      }),
      async (c) => c.json(jobJson(await deps.jobs.get(c.req.valid("param").name, c.req.valid("query").version)), 200),
    )
    .openapi(
      createRoute({
        ...write,
        method: "put",
        path: "/v1/jobs/{name}",
        summary: "Create a job, or add a version when the definition changed",
        request: { params: newNameParam, body: { required: true, content: { "application/json": { schema: JobSpecSchema } } } },
        responses: {
          200: jsonContent(JobSchema, "Updated (a new version), or unchanged (the same version)"),
          201: jsonContent(JobSchema, "Created"),
          ...errorResponses(...WRITE_ERRORS),
        },
      }),
      async (c) => {
        const { job, created } = await deps.jobs.put(c.req.valid("param").name, c.req.valid("json"));
        if (!created) return c.json(jobJson(job), 200);
        c.header("location", `/v1/jobs/${job.name}`);
        return c.json(jobJson(job), 201);
      },
    )
    .openapi(
      createRoute({
        ...write,
        method: "delete",
        path: "/v1/jobs/{name}",
        summary: "Delete a job; its runs keep their job name and version",
        request: { params: nameParam },
        responses: { 204: { description: "Deleted" }, ...errorResponses(...READ_ERRORS, 404) },
      }),
      async (c) => {
        await deps.jobs.delete(c.req.valid("param").name);
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        ...read,
        method: "get",
        path: "/v1/jobs/{name}/versions",
        summary: "List a job's versions, newest first",
        request: { params: nameParam, query: pageQuerySchema },
        responses: { 200: jsonContent(pageSchema(JobSchema, "JobVersionPage"), "A page of versions"), ...errorResponses(...READ_ERRORS, 404) },
      }),
      async (c) => {
        const { limit, cursor } = c.req.valid("query");
        const before = decodeCursor(cursor, 1)?.[0];
        if (before !== undefined && typeof before !== "number") throw new ValidationError([{ field: "query.cursor", message: "is not a cursor returned by this API" }]);
        const rows = await deps.jobs.versions(c.req.valid("param").name, { limit: limit + 1, before });
        const page = toPage(rows, limit, (j) => [j.version]);
        return c.json({ items: page.items.map(jobJson), nextCursor: page.nextCursor }, 200);
      },
    );
}
