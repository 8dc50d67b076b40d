import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

/** The jar id a session cluster gave an artifact: uploaded once per (target, sha256). */
export async function findSessionJar(db: Kysely<Database>, target: string, sha256: string): Promise<string | undefined> {
  const row = await db.selectFrom("session_jars").select("jar_id").where("target", "=", target).where("sha256", "=", sha256).executeTakeFirst();
  return row?.jar_id;
}

export async function saveSessionJar(db: Kysely<Database>, target: string, sha256: string, jarId: string, at: Date): Promise<void> {
  await db
    .insertInto("session_jars")
    .values({ target, sha256, jar_id: jarId, uploaded_at: at })
    .onConflict((oc) => oc.columns(["target", "sha256"]).doUpdateSet({ jar_id: jarId, uploaded_at: at }))
    .execute();
}

export async function forgetSessionJar(db: Kysely<Database>, target: string, sha256: string): Promise<void> {
  await db.deleteFrom("session_jars").where("target", "=", target).where("sha256", "=", sha256).execute();
}

/** The session launcher's JarCache, kept in the database so every replica shares it. */
export function createJarCache(db: Kysely<Database>, clock: { now(): Date }) {
  return {
    get: (target: string, sha256: string) => findSessionJar(db, target, sha256),
    put: (target: string, sha256: string, jarId: string) => saveSessionJar(db, target, sha256, jarId, clock.now()),
    forget: (target: string, sha256: string) => forgetSessionJar(db, target, sha256),
  };
}
