import { Agent, FormData, request } from "undici";
import pRetry from "p-retry";
import { UpstreamError } from "../domain/errors.ts";
import type { UpstreamName } from "../domain/errors.ts";
import { classifyTransportError } from "./transport-failure.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface UpstreamHttpOptions {
  upstream: UpstreamName;
  /** Max open connections per origin (default 8): one slow upstream cannot eat every socket. */
  connections?: number;
  /** Deadline for connecting, for the response headers and for each wait on the body (default 10 000 ms). */
  timeoutMs?: number;
  /** Retries of GETs after a transport failure (default 2 retries, 200 ms → 2 s backoff). */
  retry?: { retries: number; minTimeoutMs: number; maxTimeoutMs: number };
  /** Sent on every request (e.g. an auth header for a session cluster). */
  headers?: Record<string, string>;
}

export interface UpstreamRequest {
  method: HttpMethod;
  url: string;
  /** A JSON value (serialised) or an undici FormData (multipart). */
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Retry on transport failures; only honoured for GET. Default true. Set false
   * for a GET with side effects (Flink's `GET /jobs/:id/yarn-cancel`).
   */
  retry?: boolean;
}

export interface RawResponse {
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Turns a raw response into a value, or throws an UpstreamError. */
export type Decoder<T> = (raw: RawResponse, upstream: UpstreamName) => T;

/** Failures worth retrying on a read: the upstream may answer next time. */
const RETRYABLE = new Set(["refused", "reset", "timeout", "server-error"]);

/**
 * One pooled HTTP connection manager per upstream. Every failure leaves as an
 * UpstreamError; reads (GET) are retried on transport failures only, writes
 * never (a retried POST /jars/:id/run could start a second job).
 */
export class UpstreamHttp {
  readonly upstream: UpstreamName;
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly retry: { retries: number; minTimeoutMs: number; maxTimeoutMs: number };
  /** `accept` plus the per-upstream headers, built once. */
  private readonly requestHeaders: Record<string, string>;

  constructor(opts: UpstreamHttpOptions) {
    this.upstream = opts.upstream;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.agent = new Agent({
      connections: opts.connections ?? 8,
      // Idle connections are kept longer than a poll interval, so each monitor
      // tick reuses the last one's instead of connecting again (undici's own
      // default is 4 s); shorter than Hadoop's 60 s HTTP idle timeout, so the
      // gateway, not the server, closes them. A server's Keep-Alive hint wins.
      keepAliveTimeout: 30_000,
      maxResponseSize: 64 * 1024 * 1024,
      connect: { timeout: this.timeoutMs },
    });
    this.retry = opts.retry ?? { retries: 2, minTimeoutMs: 200, maxTimeoutMs: 2_000 };
    this.requestHeaders = { accept: "application/json", ...opts.headers };
  }

  /** Sends and decodes, retrying GETs on refused / reset / timeout / 5xx. */
  async call<T>(req: UpstreamRequest, decode: Decoder<T>): Promise<T> {
    const attempt = async () => decode(await this.send(req), this.upstream);
    if (req.method !== "GET" || req.retry === false || this.retry.retries <= 0) return attempt();
    const shouldRetry = ({ error }: { error: Error }) => error instanceof UpstreamError && RETRYABLE.has(error.failure);
    let firstError: Error;
    try {
      return await attempt();
    } catch (err) {
      // The common case (a first attempt that succeeds) skips p-retry's
      // bookkeeping; after a failure p-retry takes over with the same schedule,
      // its first "attempt" being the failure already seen.
      if (!(err instanceof Error) || !shouldRetry({ error: err }) || req.signal?.aborted) throw err;
      firstError = err;
    }
    let replayed = false;
    return pRetry(
      () => {
        if (replayed) return attempt();
        replayed = true;
        throw firstError;
      },
      {
        retries: this.retry.retries,
        minTimeout: this.retry.minTimeoutMs,
        maxTimeout: this.retry.maxTimeoutMs,
        signal: req.signal,
        shouldRetry,
      },
    );
  }

  /**
   * One attempt. Throws UpstreamError for refused / reset / timeout; any status is returned.
   * The deadline is undici's own: connecting, waiting for the headers and each
   * wait for more of the body are each bounded by the timeout (a stalled body
   * times out), without a timer and an AbortController per request.
   */
  async send(req: UpstreamRequest): Promise<RawResponse> {
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const { body, contentType } = encodeBody(req.body);
    const headers =
      contentType === undefined && req.headers === undefined ? this.requestHeaders : { ...this.requestHeaders, ...contentType, ...req.headers };
    try {
      if (!(body instanceof FormData)) return await this.dispatch(req, headers, body, timeoutMs);
      const res = await request(req.url, {
        dispatcher: this.agent,
        method: req.method,
        headers,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        ...(req.signal && { signal: req.signal }),
      });
      const text = await res.body.text();
      return { url: req.url, status: res.statusCode, headers: res.headers, body: text };
    } catch (err) {
      if (req.signal?.aborted) throw err; // the caller gave up; not an upstream failure
      const failure = classifyTransportError(err) ?? "reset";
      throw new UpstreamError({
        upstream: this.upstream,
        failure,
        url: req.url,
        message: `${req.method} ${req.url}: ${failure} (${describe(err)})`,
        cause: err,
      });
    }
  }

  /**
   * A request straight on the pool, the body gathered into one string. The
   * monitor sends hundreds of small reads a tick: this skips the stream and
   * promise layers of undici's `request()`, which cost about half a read's CPU.
   */
  private dispatch(req: UpstreamRequest, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<RawResponse> {
    const { signal } = req;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const { origin, path } = splitUrl(req.url);
    return new Promise<RawResponse>((resolve, reject) => {
      let status = 0;
      let responseHeaders: RawResponse["headers"] = {};
      const chunks: Buffer[] = [];
      let abort: (() => void) | undefined;
      const done = () => signal?.removeEventListener("abort", abort as () => void);
      this.agent.dispatch(
        { origin, path, method: req.method, headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
        {
          onRequestStart(controller) {
            if (!signal) return;
            abort = () => controller.abort(signal.reason);
            signal.addEventListener("abort", abort, { once: true });
          },
          onResponseStart(_controller, statusCode, resHeaders) {
            status = statusCode;
            responseHeaders = resHeaders as RawResponse["headers"];
          },
          onResponseData(_controller, chunk) {
            chunks.push(chunk);
          },
          onResponseEnd() {
            done();
            const text = chunks.length === 1 ? (chunks[0] as Buffer).toString() : Buffer.concat(chunks).toString();
            resolve({ url: req.url, status, headers: responseHeaders, body: text });
          },
          onResponseError(_controller, err) {
            done();
            reject(err);
          },
        },
      );
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function encodeBody(body: unknown): { body?: string | FormData; contentType?: Record<string, string> } {
  if (body === undefined) return {};
  // undici sets the multipart boundary header itself for FormData bodies.
  if (body instanceof FormData) return { body };
  return { body: JSON.stringify(body), contentType: { "content-type": "application/json" } };
}

/** `http://host:port` and `/path?query` of an absolute URL, without a URL object for the common case. */
function splitUrl(url: string): { origin: string; path: string } {
  const slash = url.indexOf("/", url.indexOf("//") + 2);
  if (slash < 0) return { origin: url, path: "/" };
  return { origin: url.slice(0, slash), path: url.slice(slash) };
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${err.message}` : err.message || err.name;
  }
  return String(err);
}
