import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { request } from "undici";
import { GatewayError } from "../domain/errors.ts";
import type { ArtifactRef } from "../domain/run.ts";
import { artifactUnreadable, artifactUnusable } from "./launch-errors.ts";

/**
 * A jar as the session launcher needs it: Flink's `/jars/upload` takes the
 * bytes (flink/NOTES.md), so the gateway must be able to read them. `sha256`
 * keys the jar cache; `read()` is only called when an upload is needed.
 */
export interface SessionJar {
  fileName: string;
  sha256: string;
  read(): Promise<Blob>;
}

export interface SessionJarOptions {
  /** Where the stored artifact's bytes are on this machine. */
  artifactPath: string | null;
  /** Deadline for fetching an `http(s)://` artifact (default 60 s). */
  fetchTimeoutMs?: number;
}

export async function sessionJarFor(artifact: ArtifactRef, opts: SessionJarOptions): Promise<SessionJar> {
  if (artifact.kind === "stored") {
    const path = opts.artifactPath;
    if (path === null) throw artifactUnreadable(`artifact ${artifact.id}`, "the stored artifact has no file on this gateway");
    return {
      fileName: jarFileName(artifact.fileName),
      sha256: artifact.sha256,
      read: async () => new Blob([await readOrThrow(path, `artifact ${artifact.id}`)]),
    };
  }
  // A URI's content can change behind it, so it is hashed on every submission; only the upload is saved.
  const bytes = await readUri(artifact.uri, opts.fetchTimeoutMs ?? 60_000);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  return { fileName: jarFileName(new URL(artifact.uri).pathname.split("/").pop() ?? ""), sha256, read: () => Promise.resolve(new Blob([bytes])) };
}

async function readUri(uri: string, timeoutMs: number): Promise<Uint8Array> {
  const url = new URL(uri);
  if (url.protocol === "file:") return readOrThrow(fileURLToPath(url), uri);
  if (url.protocol === "http:" || url.protocol === "https:") {
    try {
      const res = await request(uri, { method: "GET", signal: AbortSignal.timeout(timeoutMs) });
      const body = new Uint8Array(await res.body.arrayBuffer());
      if (res.statusCode !== 200) throw artifactUnreadable(uri, `HTTP ${res.statusCode}`);
      return body;
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      throw artifactUnreadable(uri, err instanceof Error ? err.message : String(err), err);
    }
  }
  throw artifactUnusable(
    `a session cluster receives jars by upload (POST /jars/upload), so the gateway must read the bytes; it cannot read ${url.protocol}// URIs. ` +
      "Upload the jar to flinkgate, or give an https:// or file:// URI.",
    { uri, scheme: url.protocol.replace(/:$/, "") },
  );
}

async function readOrThrow(path: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (err) {
    throw artifactUnreadable(what, (err as NodeJS.ErrnoException).code ?? String(err), err);
  }
}

/** Flink accepts only file names ending in `.jar` (400 `Only Jar files are allowed.`). */
function jarFileName(name: string): string {
  const base = name.replace(/[^\w.-]/g, "_") || "job";
  return base.endsWith(".jar") ? base : `${base}.jar`;
}
