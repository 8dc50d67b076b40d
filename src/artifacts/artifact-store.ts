import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";

/**
 * Uploaded jars on local disk, content-addressed:
 *   <DATA_DIR>/artifacts/<sha256>.jar   committed jars
 *   <DATA_DIR>/artifacts/tmp/           uploads still being received
 * A jar is written under tmp/ and renamed into place once complete, so a
 * reader never sees half a jar; the same bytes always land on the same path.
 */
export function artifactPath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 hex digest: '${sha256}'`);
  return path.join(dataDir, "artifacts", `${sha256}.jar`);
}

/** A fresh path for an upload in progress; its directory exists. */
export async function newTempPath(dataDir: string): Promise<string> {
  const dir = path.join(dataDir, "artifacts", "tmp");
  await mkdir(dir, { recursive: true });
  return path.join(dir, `${randomUUID()}.part`);
}

/** Moves a received jar to its content address. rename(2) is atomic within a file system, and tmp/ is on the same one. */
export async function commitArtifactFile(dataDir: string, tempPath: string, sha256: string): Promise<string> {
  const target = artifactPath(dataDir, sha256);
  await rename(tempPath, target);
  return target;
}

export async function discardTempFile(tempPath: string): Promise<void> {
  await rm(tempPath, { force: true });
}

/** The committed jar as a stream with its size, or undefined when the file is not on disk. */
export async function openArtifactFile(dataDir: string, sha256: string): Promise<{ stream: Readable; sizeBytes: number } | undefined> {
  const file = artifactPath(dataDir, sha256);
  try {
    const info = await stat(file);
    return { stream: createReadStream(file), sizeBytes: info.size };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
