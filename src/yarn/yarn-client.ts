import type { z } from "zod";
import { UpstreamError } from "../domain/errors.ts";
import { assertSuccess, expectJson, expectSuccess, header, parseJsonBody } from "../upstream/decode-response.ts";
import type { FastDecoder } from "../upstream/decode-response.ts";
import type { Query } from "../upstream/join-url.ts";
import type { UnknownValueListener } from "../upstream/lenient-enum.ts";
import { UpstreamHttp } from "../upstream/upstream-http.ts";
import type { Decoder, UpstreamHttpOptions } from "../upstream/upstream-http.ts";
import { ResourceManagerSet, standbyAware } from "./resource-manager-set.ts";
import type { RmRequest } from "./resource-manager-set.ts";
import { appFilterQuery } from "./yarn-app-filter.ts";
import type { YarnAppFilter } from "./yarn-app-filter.ts";
import { decodeYarnAppList } from "./yarn-app-list-decoder.ts";
import type { YarnAppStateValue } from "./yarn-enums.ts";
import {
  yarnAppListSchema,
  yarnAppResponseSchema,
  yarnAppStateBodySchema,
  yarnClusterInfoSchema,
  yarnNewApplicationSchema,
} from "./yarn-schemas.ts";
import type { YarnApp, YarnClusterInfo } from "./yarn-schemas.ts";
import { buildSubmissionContext } from "./yarn-submission.ts";
import type { YarnSubmitInput } from "./yarn-submission.ts";

export interface YarnClientOptions {
  /** Every RM of the cluster (HA); the first is tried first until one is found active. */
  rmUrls: readonly string[];
  http?: UpstreamHttp | Omit<UpstreamHttpOptions, "upstream">;
  /** Sent as `user.name` (pseudo auth): writes need an authenticated caller on simple-auth clusters. */
  user?: string;
  onUnknownValue?: UnknownValueListener;
  onActiveRmChange?: (change: { from: string; to: string }) => void;
}

/** Every answer says which RM gave it. */
export type FromRm<T> = T & { rmUrl: string };

const APPS = "/ws/v1/cluster/apps";

export class YarnClient {
  private readonly http: UpstreamHttp;
  private readonly ownsHttp: boolean;
  private readonly rms: ResourceManagerSet;
  private readonly user: string | undefined;
  private readonly onUnknownValue: UnknownValueListener | undefined;

  constructor(opts: YarnClientOptions) {
    this.ownsHttp = !(opts.http instanceof UpstreamHttp);
    this.http = opts.http instanceof UpstreamHttp ? opts.http : new UpstreamHttp({ ...opts.http, upstream: "yarn" });
    this.rms = new ResourceManagerSet(opts.rmUrls, this.http, opts.onActiveRmChange);
    this.user = opts.user;
    this.onUnknownValue = opts.onUnknownValue;
  }

  /** The RM requests go to first (the last one seen active). */
  get activeRmUrl(): string {
    return this.rms.activeUrl;
  }

  /** Cluster info of whichever RM answers; `/info` is not redirected, so this may be a standby's (see `haState`). */
  async getClusterInfo(): Promise<FromRm<{ info: YarnClusterInfo }>> {
    const { value, rmUrl } = await this.call({ method: "GET", path: "/ws/v1/cluster/info" }, this.json(yarnClusterInfoSchema));
    return { info: value, rmUrl };
  }

  /** Asks every RM for `haState` and remembers the ACTIVE one; `standby` error when none is. */
  async findActiveRm(): Promise<FromRm<{ info: YarnClusterInfo }>> {
    let lastError: unknown;
    for (const rmUrl of this.rms.urls) {
      try {
        const info = await this.rms.callOne(rmUrl, { method: "GET", path: "/ws/v1/cluster/info", query: this.auth() }, standbyAware(this.json(yarnClusterInfoSchema)));
        if (info.haState === "ACTIVE") {
          this.rms.markActive(rmUrl);
          return { info, rmUrl };
        }
      } catch (err) {
        lastError = err;
      }
    }
    throw new UpstreamError({
      upstream: "yarn",
      failure: "standby",
      url: this.rms.urls.join(", "),
      message: "no ResourceManager reports haState ACTIVE",
      cause: lastError,
    });
  }

  /** One filtered list call (the reconciler's whole-cluster read); tags in the answer are lower-cased. */
  async listApps(filter: YarnAppFilter = {}): Promise<FromRm<{ apps: YarnApp[] }>> {
    const { value, rmUrl } = await this.call({ method: "GET", path: APPS, query: appFilterQuery(filter) }, this.json(yarnAppListSchema, decodeYarnAppList));
    return { apps: value, rmUrl };
  }

  async getApp(appId: string): Promise<FromRm<{ app: YarnApp }>> {
    const { value, rmUrl } = await this.call({ method: "GET", path: `${APPS}/${encodeURIComponent(appId)}` }, this.json(yarnAppResponseSchema));
    return { app: value, rmUrl };
  }

  async getAppState(appId: string): Promise<FromRm<{ state: YarnAppStateValue }>> {
    const { value, rmUrl } = await this.call({ method: "GET", path: `${APPS}/${encodeURIComponent(appId)}/state` }, this.json(yarnAppStateBodySchema));
    return { state: value.state, rmUrl };
  }

  /**
   * `PUT .../state {"state":"KILLED"}`. 202 = kill under way (`pending`, with
   * the current state): repeat or poll until 200. 200 with another terminal
   * state (e.g. FINISHED) means the app had already ended and was not killed.
   */
  async killApp(appId: string, opts: { diagnostics?: string } = {}): Promise<FromRm<{ state: YarnAppStateValue; pending: boolean }>> {
    const decode: Decoder<{ state: YarnAppStateValue; pending: boolean }> = (raw, upstream) => {
      assertSuccess(raw, upstream);
      const body = parseJsonBody(raw, upstream, yarnAppStateBodySchema, this.onUnknownValue);
      return { state: body.state, pending: raw.status === 202 };
    };
    const body = { state: "KILLED", ...(opts.diagnostics !== undefined && { diagnostics: opts.diagnostics }) };
    const { value, rmUrl } = await this.call({ method: "PUT", path: `${APPS}/${encodeURIComponent(appId)}/state`, body }, decode);
    return { ...value, rmUrl };
  }

  /** Reserves an application id; store it before `submitApplication`. */
  async newApplication(): Promise<FromRm<z.output<typeof yarnNewApplicationSchema>>> {
    const { value, rmUrl } = await this.call({ method: "POST", path: `${APPS}/new-application` }, this.json(yarnNewApplicationSchema));
    return { ...value, rmUrl };
  }

  /** Submits the AM container spec; the RM answers 202 with an empty body and a `Location`. */
  async submitApplication(input: YarnSubmitInput): Promise<FromRm<{ applicationId: string; location: string | undefined }>> {
    const body = buildSubmissionContext(input);
    const { value, rmUrl } = await this.call({ method: "POST", path: APPS, body }, expectSuccess());
    return { applicationId: input.applicationId, location: header(value, "location"), rmUrl };
  }

  async close(): Promise<void> {
    if (this.ownsHttp) await this.http.close();
  }

  private call<T>(req: RmRequest, decode: Decoder<T>) {
    return this.rms.call({ ...req, query: { ...req.query, ...this.auth() } }, decode);
  }

  private auth(): Query {
    return this.user === undefined ? {} : { "user.name": this.user };
  }

  private json<S extends z.ZodType>(schema: S, fast?: FastDecoder<z.output<S>>): Decoder<z.output<S>> {
    return expectJson(schema, this.onUnknownValue, fast);
  }
}
