import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { TokenService } from "../../auth/token-service.ts";
import type { Clock } from "../../domain/clock.ts";
import { ValidationError } from "../../domain/errors.ts";
import { SCOPES } from "../../domain/scopes.ts";
import type { ApiToken } from "../../store/token-repository.ts";
import { requireScope } from "../middleware/auth.ts";
import type { AppEnv } from "../env.ts";
import { bearerSecurity, errorResponses, idempotencyHeader, jsonContent, READ_ERRORS, WRITE_ERRORS } from "../openapi.ts";
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from "../pagination.ts";

const TokenSchema = z
  .object({
    id: z.string().openapi({ example: "tok_01JD3Q8Z5Y6V7W8X9Y0Z1A2B3C" }),
    name: z.string(),
    scopes: z.array(z.string()),
    createdBy: z.string().nullable(),
    createdAt: z.string().openapi({ format: "date-time" }),
    expiresAt: z.string().nullable().openapi({ format: "date-time" }),
    revokedAt: z.string().nullable().openapi({ format: "date-time" }),
    lastUsedAt: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("Token");

const CreatedTokenSchema = TokenSchema.extend({
  token: z.string().openapi({ description: "The secret. Shown only in this response; flinkgate keeps a hash." }),
}).openapi("CreatedToken");

const CreateTokenSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(z.enum(SCOPES)).min(1).openapi({ description: "`admin` implies every scope; `x:write` implies `x:read`." }),
    expiresAt: z.iso.datetime({ offset: true }).optional().openapi({ description: "When the token stops working (RFC 3339)." }),
  })
  .openapi("CreateToken");

const idParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });

export function tokenJson(token: ApiToken) {
  return {
    id: token.id,
    name: token.name,
    scopes: token.scopes,
    createdBy: token.createdBy,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  };
}

const common = { tags: ["tokens"], security: bearerSecurity, middleware: [requireScope("admin")] };

export function tokenRoutes(deps: { tokens: TokenService; clock: Clock }) {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        ...common,
        method: "post",
        path: "/v1/tokens",
        summary: "Create an API token (admin)",
        request: { headers: idempotencyHeader, body: { required: true, content: { "application/json": { schema: CreateTokenSchema } } } },
        responses: { 201: jsonContent(CreatedTokenSchema, "Created; the secret is in `token`"), ...errorResponses(...WRITE_ERRORS) },
      }),
      async (c) => {
        const body = c.req.valid("json");
        const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
        if (expiresAt && expiresAt <= deps.clock.now()) {
          throw new ValidationError([{ field: "body.expiresAt", message: "must be in the future" }]);
        }
        const { token, secret } = await deps.tokens.create({
          name: body.name,
          scopes: [...new Set(body.scopes)],
          expiresAt,
          createdBy: c.get("principal").id,
        });
        c.header("location", `/v1/tokens/${token.id}`);
        return c.json({ ...tokenJson(token), token: secret }, 201);
      },
    )
    .openapi(
      createRoute({
        ...common,
        method: "get",
        path: "/v1/tokens",
        summary: "List API tokens (admin); secrets are never shown",
        request: { query: pageQuerySchema },
        responses: { 200: jsonContent(pageSchema(TokenSchema, "TokenPage"), "A page of tokens"), ...errorResponses(...READ_ERRORS) },
      }),
      async (c) => {
        const { limit, cursor } = c.req.valid("query");
        const after = decodeCursor(cursor, 1)?.[0];
        const rows = await deps.tokens.list({ limit: limit + 1, after: after === undefined ? undefined : String(after) });
        const page = toPage(rows, limit, (t) => [t.id]);
        return c.json({ items: page.items.map(tokenJson), nextCursor: page.nextCursor }, 200);
      },
    )
    .openapi(
      createRoute({
        ...common,
        method: "get",
        path: "/v1/tokens/{id}",
        summary: "Get one API token (admin)",
        request: { params: idParam },
        responses: { 200: jsonContent(TokenSchema, "The token"), ...errorResponses(...READ_ERRORS, 404) },
      }),
      async (c) => c.json(tokenJson(await deps.tokens.get(c.req.valid("param").id)), 200),
    )
    .openapi(
      createRoute({
        ...common,
        method: "delete",
        path: "/v1/tokens/{id}",
        summary: "Revoke an API token (admin); it stops working at once",
        request: { params: idParam },
        responses: { 200: jsonContent(TokenSchema, "The revoked token"), ...errorResponses(...READ_ERRORS, 404) },
      }),
      async (c) => c.json(tokenJson(await deps.tokens.revoke(c.req.valid("param").id)), 200),
    );
}
