import { UpstreamError } from "../domain/errors.ts";
import { header } from "../upstream/decode-response.ts";
import { joinUrl } from "../upstream/join-url.ts";
import type { Query } from "../upstream/join-url.ts";
import type { Decoder, HttpMethod, RawResponse, UpstreamHttp } from "../upstream/upstream-http.ts";

/** A standby RM answered; `redirectTo` is the active RM's URL for the same request, when the standby knows it. */
export class RmStandbyError extends UpstreamError {
  readonly redirectTo: string | undefined;
  constructor(raw: RawResponse, redirectTo: string | undefined) {
    super({
      upstream: "yarn",
      failure: "standby",
      url: raw.url,
      message: `standby ResourceManager answered ${raw.status} for ${raw.url}${redirectTo ? `, active is at ${redirectTo}` : ", no active RM known"}`,
      upstreamStatus: raw.status,
      upstreamMessage: raw.body.trim().slice(0, 300),
    });
    this.redirectTo = redirectTo;
  }
}

/**
 * Recognises a standby RM before the normal decoding (yarn/NOTES.md "HA"):
 * 307 with `Location` (method and body must be replayed), 307 without one
 * (`Can not find any active RM`), or 200 with the text `There is no active RM
 * right now.` which must not pass for a success.
 */
export function standbyAware<T>(decode: Decoder<T>): Decoder<T> {
  return (raw, upstream) => {
    if (raw.status === 307) throw new RmStandbyError(raw, header(raw, "location"));
    // JSON first: a list of thousands of applications is not searched for the standby's text.
    if (!/^\s*\{/.test(raw.body) && /no active RM|standby RM/i.test(raw.body)) throw new RmStandbyError(raw, undefined);
    return decode(raw, upstream);
  };
}

export interface RmRequest {
  method: HttpMethod;
  path: string;
  query?: Query;
  body?: unknown;
}

/**
 * The configured RMs of one cluster. Requests go to the RM last seen active;
 * a standby's redirect is followed (same method and body) and its target
 * remembered; an unreachable RM makes the request move on to the next one.
 * Writes move on only when nothing can have reached an RM (refused) or a
 * standby declined them, so a submit or kill is never sent twice to an active RM.
 */
export class ResourceManagerSet {
  readonly urls: readonly string[];
  private active = 0;

  constructor(
    urls: readonly string[],
    private readonly http: UpstreamHttp,
    private readonly onActiveChange?: (change: { from: string; to: string }) => void,
  ) {
    if (urls.length === 0) throw new Error("at least one ResourceManager URL is required");
    this.urls = urls;
  }

  get activeUrl(): string {
    return this.urls[this.active] ?? this.urls[0] ?? "";
  }

  markActive(rmUrl: string): void {
    const index = this.urls.indexOf(rmUrl);
    if (index < 0 || index === this.active) return;
    const from = this.activeUrl;
    this.active = index;
    this.onActiveChange?.({ from, to: rmUrl });
  }

  /** Sends to one RM without failover (for probing each RM). */
  callOne<T>(rmUrl: string, req: RmRequest, decode: Decoder<T>): Promise<T> {
    return this.http.call({ method: req.method, url: joinUrl(rmUrl, req.path, req.query), body: req.body }, decode);
  }

  async call<T>(req: RmRequest, decode: Decoder<T>): Promise<{ value: T; rmUrl: string }> {
    const aware = standbyAware(decode);
    const order = [this.active, ...this.urls.keys()].filter((i, n, all) => all.indexOf(i) === n);
    let lastError: unknown;
    for (const index of order) {
      const rmUrl = this.urls[index] ?? "";
      try {
        const value = await this.callOne(rmUrl, req, aware);
        this.markActive(rmUrl);
        return { value, rmUrl };
      } catch (err) {
        lastError = err;
        if (err instanceof RmStandbyError && err.redirectTo) {
          try {
            return await this.followRedirect(err.redirectTo, req, aware);
          } catch (redirectErr) {
            lastError = redirectErr;
            if (!this.mayTryNext(redirectErr, req.method)) throw redirectErr;
          }
        } else if (!this.mayTryNext(err, req.method)) throw err;
      }
    }
    throw lastError;
  }

  private async followRedirect<T>(location: string, req: RmRequest, decode: Decoder<T>): Promise<{ value: T; rmUrl: string }> {
    const value = await this.http.call({ method: req.method, url: location, body: req.body }, decode);
    const target = this.urls.find((u) => location.startsWith(joinUrl(u, "")));
    if (target) this.markActive(target);
    return { value, rmUrl: target ?? new URL(location).origin };
  }

  private mayTryNext(err: unknown, method: HttpMethod): boolean {
    if (!(err instanceof UpstreamError)) return false;
    if (err.failure === "standby" || err.failure === "refused") return true;
    return method === "GET" && (err.failure === "reset" || err.failure === "timeout" || err.failure === "server-error");
  }
}
