import { stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { request } from "undici";
import { z } from "zod";
import { artifactUnreadable, artifactUnusable } from "./launch-errors.ts";

/**
 * Size and modification time of a file a NodeManager will localize. YARN
 * refuses a local resource whose timestamp differs from the file's
 * (FSDownload: "Resource … changed on src filesystem"), so the AM container
 * spec must carry the real values, read where the file lives.
 */
export interface ResourceFacts {
  size: number;
  timestamp: number;
}
export type ResourceStat = (uri: string) => Promise<ResourceFacts>;

const fileStatusSchema = z.object({ FileStatus: z.object({ length: z.number(), modificationTime: z.number() }) });

/**
 * `file://` (a path every NodeManager sees, e.g. a shared mount) via stat;
 * `http(s)://` via HEAD; `hdfs://` via WebHDFS `GETFILESTATUS` when a WebHDFS
 * base URL is configured (the RM REST API cannot stat files).
 */
export function defaultResourceStat(opts: { webHdfsUrl?: string; timeoutMs?: number } = {}): ResourceStat {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return async (uri) => {
    const url = new URL(uri);
    try {
      if (url.protocol === "file:") {
        const s = await stat(fileURLToPath(url));
        return { size: s.size, timestamp: Math.floor(s.mtimeMs) };
      }
      if (url.protocol === "http:" || url.protocol === "https:") {
        const res = await request(uri, { method: "HEAD", signal: AbortSignal.timeout(timeoutMs) });
        await res.body.dump();
        const size = Number(res.headers["content-length"]);
        const modified = Date.parse(String(res.headers["last-modified"] ?? ""));
        if (res.statusCode !== 200 || !Number.isFinite(size) || Number.isNaN(modified)) {
          throw new Error(`HEAD answered ${res.statusCode} without Content-Length and Last-Modified`);
        }
        return { size, timestamp: modified };
      }
      if (url.protocol === "hdfs:" && opts.webHdfsUrl !== undefined) {
        const statusUrl = `${opts.webHdfsUrl.replace(/\/$/, "")}/webhdfs/v1${url.pathname}?op=GETFILESTATUS`;
        const res = await request(statusUrl, { method: "GET", signal: AbortSignal.timeout(timeoutMs) });
        const body: unknown = await res.body.json();
        if (res.statusCode !== 200) throw new Error(`WebHDFS answered ${res.statusCode}`);
        const { FileStatus } = fileStatusSchema.parse(body);
        return { size: FileStatus.length, timestamp: FileStatus.modificationTime };
      }
    } catch (err) {
      throw artifactUnreadable(uri, err instanceof Error ? err.message : String(err), err);
    }
    throw artifactUnusable(`cannot read the size and modification time YARN needs for ${url.protocol}// resources; configure WebHDFS for hdfs:// URIs`, { uri });
  };
}
