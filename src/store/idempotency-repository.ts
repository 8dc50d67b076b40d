import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

export interface IdempotencyRequest {
  principal: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type IdempotencyClaim =
  | { kind: "claimed" }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "mismatch" }
  | { kind: "in-flight" };

export interface IdempotencyOptions {
  ttlMs: number;
  /** An in-flight claim older than this was abandoned (its process died) and may be taken over. */
  lockTimeoutMs: number;
}

export async function claimIdempotencyKey(
  db: Kysely<Database>,
  request: IdempotencyRequest,
  now: Date,
  options: IdempotencyOptions,
): Promise<IdempotencyClaim> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const inserted = await db
      .insertInto("idempotency_keys")
      .values({
        principal: request.principal,
        key: request.key,
        method: request.method,
        path: request.path,
        request_hash: request.requestHash,
        state: "in_flight",
        locked_at: now,
        expires_at: new Date(now.getTime() + options.ttlMs),
      })
      .onConflict((oc) => oc.columns(["principal", "key"]).doNothing())
      .returning("key")
      .executeTakeFirst();
    if (inserted) return { kind: "claimed" };

    const row = await db
      .selectFrom("idempotency_keys")
      .selectAll()
      .where("principal", "=", request.principal)
      .where("key", "=", request.key)
      .executeTakeFirst();
    if (!row) continue; // deleted between the two statements: try to insert again
    if (row.expires_at <= now) {
      await db
        .deleteFrom("idempotency_keys")
        .where("principal", "=", request.principal)
        .where("key", "=", request.key)
        .where("expires_at", "<=", now)
        .execute();
      continue;
    }
    if (row.request_hash !== request.requestHash || row.method !== request.method || row.path !== request.path) {
      return { kind: "mismatch" };
    }
    if (row.state === "done") {
      return {
        kind: "replay",
        response: { status: row.response_status ?? 200, headers: row.response_headers ?? {}, body: row.response_body ?? "" },
      };
    }
    if (row.locked_at.getTime() > now.getTime() - options.lockTimeoutMs) return { kind: "in-flight" };
    const taken = await db
      .updateTable("idempotency_keys")
      .set({ locked_at: now })
      .where("principal", "=", request.principal)
      .where("key", "=", request.key)
      .where("state", "=", "in_flight")
      .where("locked_at", "=", row.locked_at)
      .executeTakeFirst();
    return taken.numUpdatedRows > 0n ? { kind: "claimed" } : { kind: "in-flight" };
  }
  return { kind: "in-flight" };
}

export async function completeIdempotencyKey(
  db: Kysely<Database>,
  request: Pick<IdempotencyRequest, "principal" | "key">,
  response: StoredResponse,
): Promise<void> {
  await db
    .updateTable("idempotency_keys")
    .set({
      state: "done",
      response_status: response.status,
      response_headers: JSON.stringify(response.headers),
      response_body: response.body,
    })
    .where("principal", "=", request.principal)
    .where("key", "=", request.key)
    .execute();
}

/** Frees a key whose request failed with a server error, so the client may retry it. */
export async function releaseIdempotencyKey(
  db: Kysely<Database>,
  request: Pick<IdempotencyRequest, "principal" | "key">,
): Promise<void> {
  await db
    .deleteFrom("idempotency_keys")
    .where("principal", "=", request.principal)
    .where("key", "=", request.key)
    .where("state", "=", "in_flight")
    .execute();
}

export async function purgeExpiredIdempotencyKeys(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db.deleteFrom("idempotency_keys").where("expires_at", "<=", now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
