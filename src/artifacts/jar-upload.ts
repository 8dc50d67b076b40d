import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import { type FieldIssue, GatewayError, ValidationError } from "../domain/errors.ts";
import { discardTempFile, newTempPath } from "./artifact-store.ts";

/** A jar is a zip: it starts with a local file header. */
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** Room for part headers and boundaries when checking Content-Length against the file limit. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
const FILE_FIELD = "file";

export interface ReceivedJar {
  tempPath: string;
  sha256: string;
  sizeBytes: number;
  fileName: string;
}

type WrittenFile = ReceivedJar & { head: Buffer };

export function payloadTooLarge(maxBytes: number): GatewayError {
  return new GatewayError({
    status: 413,
    type: "payload-too-large",
    title: "Payload too large",
    detail: `the artifact exceeds the limit of ${maxBytes} bytes (ARTIFACT_MAX_SIZE)`,
    extra: { limitBytes: maxBytes },
  });
}

/**
 * Streams the one `file` part of a multipart/form-data body to a temp file,
 * hashing it on the way, so memory use does not grow with the jar. On any
 * failure the temp file is removed before the error is thrown; on success the
 * caller owns it (commit or discard).
 */
export async function receiveJarUpload(opts: {
  /** Called only once the headers are accepted: a JSON body may already have been read by then. */
  openBody: () => Readable;
  headers: { contentType: string | undefined; contentLength: string | undefined };
  dataDir: string;
  maxBytes: number;
}): Promise<ReceivedJar> {
  const declared = opts.headers.contentLength === undefined ? Number.NaN : Number(opts.headers.contentLength);
  if (declared > opts.maxBytes + MULTIPART_OVERHEAD_BYTES) throw payloadTooLarge(opts.maxBytes);

  let parser: busboy.Busboy;
  try {
    // Browsers and curl send file names as raw UTF-8, not RFC 2231-encoded; busboy would read them as latin1.
    parser = busboy({
      headers: { "content-type": opts.headers.contentType ?? "" },
      defParamCharset: "utf8",
      limits: { files: 1, fileSize: opts.maxBytes, parts: 8 },
    });
  } catch (error) {
    throw new GatewayError({ status: 415, type: "unsupported-media-type", title: "Unsupported media type", detail: `expected multipart/form-data with a boundary: ${(error as Error).message}` });
  }

  // Made before parsing so the file stream is piped in the same tick it appears: a stream left
  // without a listener while a directory is created would turn a truncated body into an uncaught error.
  const tempPath = await newTempPath(opts.dataDir);
  const issues: FieldIssue[] = [];
  let tooLarge = false;
  let upload: Promise<WrittenFile> | undefined;
  parser.on("file", (name, stream, info) => {
    if (name !== FILE_FIELD || upload) {
      issues.push({ field: `body.${name}`, message: name === FILE_FIELD ? "exactly one file may be sent" : "is not a known field" });
      stream.resume();
      return;
    }
    stream.once("limit", () => {
      tooLarge = true;
    });
    upload = writeTemp(stream, tempPath, info.filename);
    // Rejections are collected below; keep this one from being reported as unhandled meanwhile.
    upload.catch(() => undefined);
  });
  parser.on("field", (name) => {
    issues.push({ field: `body.${name}`, message: name === FILE_FIELD ? "must be a file part (with a filename)" : "is not a known field" });
  });
  parser.on("filesLimit", () => issues.push({ field: `body.${FILE_FIELD}`, message: "exactly one file may be sent" }));
  parser.on("partsLimit", () => issues.push({ field: "body", message: "has too many parts; send only 'file'" }));

  let malformed: Error | undefined;
  try {
    await pipeline(opts.openBody(), parser);
  } catch (error) {
    malformed = error as Error;
  }
  const received = await upload?.catch((error: unknown) => {
    malformed ??= error as Error;
    return undefined;
  });
  const fail = async (error: GatewayError): Promise<never> => {
    await discardTempFile(tempPath);
    throw error;
  };
  if (tooLarge) return fail(payloadTooLarge(opts.maxBytes));
  if (malformed) return fail(new GatewayError({ status: 400, type: "malformed-multipart", title: "Malformed multipart body", detail: malformed.message }));
  if (!received) issues.push({ field: `body.${FILE_FIELD}`, message: "is required: send the jar as a multipart part named 'file'" });
  else if (received.sizeBytes === 0) issues.push({ field: `body.${FILE_FIELD}`, message: "is empty" });
  else if (!received.head.equals(ZIP_MAGIC)) issues.push({ field: `body.${FILE_FIELD}`, message: "is not a jar: it does not start with a zip header (PK\\x03\\x04)" });
  if (issues.length > 0) return fail(new ValidationError(dedupe(issues)));
  const { head: _head, ...jar } = received as WrittenFile;
  return jar;
}

async function writeTemp(stream: Readable, tempPath: string, fileName: string | undefined): Promise<WrittenFile> {
  const hash = createHash("sha256");
  let sizeBytes = 0;
  let head = Buffer.alloc(0);
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      if (head.length < ZIP_MAGIC.length) head = Buffer.concat([head, chunk]).subarray(0, ZIP_MAGIC.length);
      done(null, chunk);
    },
  });
  try {
    await pipeline(stream, measure, createWriteStream(tempPath));
  } catch (error) {
    await discardTempFile(tempPath);
    throw error;
  }
  return { tempPath, sha256: hash.digest("hex"), sizeBytes, fileName: cleanFileName(fileName), head };
}

function cleanFileName(name: string | undefined): string {
  // busboy already strips directories; control characters would break Content-Disposition on download.
  const clean = (name ?? "").replace(/[\x00-\x1f\x7f]/g, "").trim().slice(0, 255);
  return clean === "" ? "artifact.jar" : clean;
}

function dedupe(issues: FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.field}\n${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
