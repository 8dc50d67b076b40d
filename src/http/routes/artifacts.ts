import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { ArtifactService } from "../../artifacts/artifact-service.ts";
import type { Artifact } from "../../store/artifact-repository.ts";
import type { AppEnv } from "../env.ts";
import { requireScope } from "../middleware/auth.ts";
import { bearerSecurity, errorResponses, jsonContent, READ_ERRORS, WRITE_ERRORS } from "../openapi.ts";
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from "../pagination.ts";

const ArtifactSchema = z
  .object({
    id: z.string().openapi({ example: "art_01JD3Q8Z5Y6V7W8X9Y0Z1A2B3C" }),
    sha256: z.string().openapi({ description: "SHA-256 of the jar, hex; artifacts are stored by it." }),
    fileName: z.string().openapi({ description: "The file name of the first upload of these bytes." }),
    sizeBytes: z.number().int(),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Artifact");

const idParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });

export function artifactJson(artifact: Artifact) {
  return { ...artifact, createdAt: artifact.createdAt.toISOString() };
}

/** RFC 6266: an ASCII fallback plus the exact name in UTF-8. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

const read = { tags: ["artifacts"], security: bearerSecurity, middleware: [requireScope("jobs:read")] };

export function artifactRoutes(deps: { artifacts: ArtifactService }) {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        tags: ["artifacts"],
        security: bearerSecurity,
        middleware: [requireScope("jobs:write")],
        method: "post",
        path: "/v1/artifacts",
        summary: "Upload a job jar",
        description: `Streams the jar to storage while hashing it. Artifacts are content-addressed: uploading the same bytes again returns the existing artifact with 200, so a retry never makes a duplicate (\`Idempotency-Key\` is not needed here and is ignored). The jar may be at most ARTIFACT_MAX_SIZE (default 512 MiB).`,
        request: {
          body: {
            required: true,
            content: {
              // A plain schema object, not zod: a zod schema would make the framework buffer and parse the whole form.
              "multipart/form-data": {
                schema: {
                  type: "object",
                  required: ["file"],
                  properties: { file: { type: "string", format: "binary", description: "The jar (a zip file). Exactly one part, named `file`." } },
                },
              },
            },
          },
        },
        responses: {
          200: jsonContent(ArtifactSchema, "These bytes were uploaded before: the existing artifact"),
          201: jsonContent(ArtifactSchema, "Created"),
          ...errorResponses(...WRITE_ERRORS),
        },
      }),
      async (c) => {
        const openBody = () => {
          const raw = c.req.raw.body;
          return raw ? Readable.fromWeb(raw as NodeReadableStream<Uint8Array>) : Readable.from([]);
        };
        const { artifact, created } = await deps.artifacts.upload(openBody, {
          contentType: c.req.header("content-type"),
          contentLength: c.req.header("content-length"),
        });
        if (!created) return c.json(artifactJson(artifact), 200);
        c.header("location", `/v1/artifacts/${artifact.id}`);
        return c.json(artifactJson(artifact), 201);
      },
    )
    .openapi(
      createRoute({
        ...read,
        method: "get",
        path: "/v1/artifacts",
        summary: "List artifacts, oldest first",
        request: { query: pageQuerySchema },
        responses: { 200: jsonContent(pageSchema(ArtifactSchema, "ArtifactPage"), "A page of artifacts"), ...errorResponses(...READ_ERRORS) },
      }),
      async (c) => {
        const { limit, cursor } = c.req.valid("query");
        const after = decodeCursor(cursor, 1)?.[0];
        const rows = await deps.artifacts.list({ limit: limit + 1, after: after === undefined ? undefined : String(after) });
        const page = toPage(rows, limit, (a) => [a.id]);
        return c.json({ items: page.items.map(artifactJson), nextCursor: page.nextCursor }, 200);
      },
    )
    .openapi(
      createRoute({
        ...read,
        method: "get",
        path: "/v1/artifacts/{id}",
        summary: "Get an artifact",
        request: { params: idParam },
        responses: { 200: jsonContent(ArtifactSchema, "The artifact"), ...errorResponses(...READ_ERRORS, 404) },
      }),
      async (c) => c.json(artifactJson(await deps.artifacts.get(c.req.valid("param").id)), 200),
    )
    .openapi(
      createRoute({
        ...read,
        method: "get",
        path: "/v1/artifacts/{id}/content",
        summary: "Download the jar",
        request: { params: idParam },
        responses: {
          200: { description: "The jar", content: { "application/java-archive": { schema: { type: "string", format: "binary" } } } },
          ...errorResponses(...READ_ERRORS, 404),
        },
      }),
      async (c) => {
        const { artifact, stream, sizeBytes } = await deps.artifacts.content(c.req.valid("param").id);
        return c.body(Readable.toWeb(stream) as ReadableStream<Uint8Array>, 200, {
          "content-type": "application/java-archive",
          "content-length": String(sizeBytes),
          "content-disposition": contentDisposition(artifact.fileName),
          etag: `"${artifact.sha256}"`,
        });
      },
    );
}
