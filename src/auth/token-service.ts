import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { Clock } from "../domain/clock.ts";
import { NotFoundError } from "../domain/errors.ts";
import { newId } from "../domain/ids.ts";
import type { Database } from "../store/schema.ts";
import {
  type ApiToken,
  findToken,
  findTokenByHash,
  insertToken,
  listTokens,
  revokeToken,
  toApiToken,
  touchToken,
} from "../store/token-repository.ts";

/** Who made a request: a stored token, or the bootstrap admin token from config. */
export interface Principal {
  id: string;
  name: string;
  scopes: string[];
}

export type Authentication = { ok: true; principal: Principal } | { ok: false; reason: "unknown" | "expired" | "revoked" };

export function hashSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

const TOKEN_PREFIX = "fgt_";

export function createTokenService(deps: { db: Kysely<Database>; clock: Clock; bootstrapAdminToken: string | undefined }) {
  const bootstrapHash = deps.bootstrapAdminToken ? hashSecret(deps.bootstrapAdminToken) : undefined;

  return {
    /** Creates a token; the secret is returned here once and stored only as a hash. */
    async create(input: { name: string; scopes: string[]; expiresAt: Date | null; createdBy: string }) {
      const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
      const token = await insertToken(deps.db, {
        id: newId("tok", deps.clock),
        name: input.name,
        scopes: input.scopes,
        hash: hashSecret(secret).toString("hex"),
        createdBy: input.createdBy,
        createdAt: deps.clock.now(),
        expiresAt: input.expiresAt,
      });
      return { token, secret };
    },

    list: (page: { limit: number; after: string | undefined }) => listTokens(deps.db, page),

    async get(id: string): Promise<ApiToken> {
      const token = await findToken(deps.db, id);
      if (!token) throw new NotFoundError("token", id);
      return token;
    },

    async revoke(id: string): Promise<ApiToken> {
      const revoked = await revokeToken(deps.db, id, deps.clock.now());
      if (revoked) return revoked;
      const existing = await findToken(deps.db, id);
      if (!existing) throw new NotFoundError("token", id);
      return existing;
    },

    async authenticate(secret: string): Promise<Authentication> {
      const hash = hashSecret(secret);
      // Both sides are SHA-256 digests of equal length: timingSafeEqual never throws here.
      if (bootstrapHash && timingSafeEqual(hash, bootstrapHash)) {
        return { ok: true, principal: { id: "bootstrap", name: "bootstrap admin", scopes: ["admin"] } };
      }
      const row = await findTokenByHash(deps.db, hash.toString("hex"));
      if (!row || !timingSafeEqual(Buffer.from(row.token_hash, "hex"), hash)) return { ok: false, reason: "unknown" };
      const token = toApiToken(row);
      const now = deps.clock.now();
      if (token.revokedAt) return { ok: false, reason: "revoked" };
      if (token.expiresAt && token.expiresAt <= now) return { ok: false, reason: "expired" };
      await touchToken(deps.db, token.id, now);
      return { ok: true, principal: { id: token.id, name: token.name, scopes: token.scopes } };
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
