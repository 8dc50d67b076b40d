import type { Kysely, Selectable } from "kysely";
import type { ApiTokensTable, Database } from "./schema.ts";

export interface ApiToken {
  id: string;
  name: string;
  scopes: string[];
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export function toApiToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

export async function insertToken(
  db: Kysely<Database>,
  token: { id: string; name: string; scopes: string[]; hash: string; createdBy: string; createdAt: Date; expiresAt: Date | null },
): Promise<ApiToken> {
  const row = await db
    .insertInto("api_tokens")
    .values({
      id: token.id,
      name: token.name,
      scopes: JSON.stringify(token.scopes),
      token_hash: token.hash,
      created_by: token.createdBy,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toApiToken(row);
}

export async function findTokenByHash(db: Kysely<Database>, hash: string) {
  return db.selectFrom("api_tokens").selectAll().where("token_hash", "=", hash).executeTakeFirst();
}

export async function findToken(db: Kysely<Database>, id: string): Promise<ApiToken | undefined> {
  const row = await db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toApiToken(row);
}

export async function listTokens(db: Kysely<Database>, page: { limit: number; after: string | undefined }): Promise<ApiToken[]> {
  let query = db.selectFrom("api_tokens").selectAll().orderBy("id").limit(page.limit);
  if (page.after !== undefined) query = query.where("id", ">", page.after);
  return (await query.execute()).map(toApiToken);
}

export async function revokeToken(db: Kysely<Database>, id: string, at: Date): Promise<ApiToken | undefined> {
  const row = await db
    .updateTable("api_tokens")
    .set({ revoked_at: at })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .returningAll()
    .executeTakeFirst();
  return row && toApiToken(row);
}

/** Records use at most once a minute per token, to keep reads cheap. */
export async function touchToken(db: Kysely<Database>, id: string, at: Date): Promise<void> {
  const cutoff = new Date(at.getTime() - 60_000);
  await db
    .updateTable("api_tokens")
    .set({ last_used_at: at })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", cutoff)]))
    .execute();
}
