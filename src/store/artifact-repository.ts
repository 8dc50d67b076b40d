import type { Kysely, Selectable } from "kysely";
import type { ArtifactsTable, Database } from "./schema.ts";

export interface Artifact {
  id: string;
  sha256: string;
  fileName: string;
  sizeBytes: number;
  createdAt: Date;
}

function toArtifact(row: Selectable<ArtifactsTable>): Artifact {
  return { id: row.id, sha256: row.sha256, fileName: row.file_name, sizeBytes: row.size_bytes, createdAt: row.created_at };
}

/** Content-addressed: uploading the same bytes again returns the existing artifact. */
export async function insertArtifact(db: Kysely<Database>, artifact: Artifact): Promise<{ artifact: Artifact; created: boolean }> {
  const row = await db
    .insertInto("artifacts")
    .values({ id: artifact.id, sha256: artifact.sha256, file_name: artifact.fileName, size_bytes: artifact.sizeBytes, created_at: artifact.createdAt })
    .onConflict((oc) => oc.column("sha256").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (row) return { artifact: toArtifact(row), created: true };
  const existing = await db.selectFrom("artifacts").selectAll().where("sha256", "=", artifact.sha256).executeTakeFirstOrThrow();
  return { artifact: toArtifact(existing), created: false };
}

export async function findArtifact(db: Kysely<Database>, id: string): Promise<Artifact | undefined> {
  const row = await db.selectFrom("artifacts").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toArtifact(row);
}

export async function listArtifacts(db: Kysely<Database>, page: { limit: number; after: string | undefined }): Promise<Artifact[]> {
  let query = db.selectFrom("artifacts").selectAll().orderBy("id").limit(page.limit);
  if (page.after !== undefined) query = query.where("id", ">", page.after);
  return (await query.execute()).map(toArtifact);
}
