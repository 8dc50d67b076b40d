import type { Readable } from "node:stream";
import type { Kysely } from "kysely";
import type { Clock } from "../domain/clock.ts";
import { GatewayError, NotFoundError } from "../domain/errors.ts";
import { newId } from "../domain/ids.ts";
import { type Artifact, findArtifact, insertArtifact, listArtifacts } from "../store/artifact-repository.ts";
import type { Database } from "../store/schema.ts";
import { commitArtifactFile, discardTempFile, openArtifactFile } from "./artifact-store.ts";
import { receiveJarUpload } from "./jar-upload.ts";

export type ArtifactService = ReturnType<typeof createArtifactService>;

export function createArtifactService(deps: { db: Kysely<Database>; clock: Clock; dataDir: string; maxUploadBytes: number }) {
  async function get(id: string): Promise<Artifact> {
    const artifact = await findArtifact(deps.db, id);
    if (!artifact) throw new NotFoundError("artifact", id);
    return artifact;
  }

  return {
    maxUploadBytes: deps.maxUploadBytes,

    /**
     * Receives a jar and stores it by content. The row is written only once
     * the file is in place, so a stored artifact always has its jar; the same
     * bytes again give back the existing artifact (`created: false`).
     */
    async upload(openBody: () => Readable, headers: { contentType: string | undefined; contentLength: string | undefined }) {
      const jar = await receiveJarUpload({ openBody, headers, dataDir: deps.dataDir, maxBytes: deps.maxUploadBytes });
      try {
        await commitArtifactFile(deps.dataDir, jar.tempPath, jar.sha256);
      } catch (error) {
        await discardTempFile(jar.tempPath);
        throw error;
      }
      const now = deps.clock.now();
      return insertArtifact(deps.db, { id: newId("art", deps.clock), sha256: jar.sha256, fileName: jar.fileName, sizeBytes: jar.sizeBytes, createdAt: now });
    },

    get,

    list: (page: { limit: number; after: string | undefined }) => listArtifacts(deps.db, page),

    async content(id: string): Promise<{ artifact: Artifact; stream: Readable; sizeBytes: number }> {
      const artifact = await get(id);
      const file = await openArtifactFile(deps.dataDir, artifact.sha256);
      if (!file) {
        throw new GatewayError({
          status: 500,
          type: "artifact-content-missing",
          title: "Artifact content missing",
          detail: `the jar of artifact '${id}' is not in the gateway's storage (DATA_DIR was lost?); uploading the same jar again restores it`,
        });
      }
      return { artifact, ...file };
    },
  };
}
