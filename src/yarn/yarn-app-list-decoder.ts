import { isJsonObject, isNumber, isOptionalNumber, isOptionalString } from "../upstream/json-checks.ts";
import { YARN_APP_STATES, YARN_FINAL_STATUSES, YARN_TRACKING_UIS } from "./yarn-enums.ts";
import { splitAppTags, toAppPriority } from "./yarn-schemas.ts";
import type { YarnApp } from "./yarn-schemas.ts";

const KNOWN_STATES: ReadonlySet<string> = new Set(YARN_APP_STATES);
const KNOWN_FINAL_STATUSES: ReadonlySet<string> = new Set(YARN_FINAL_STATUSES);
const KNOWN_TRACKING_UIS: ReadonlySet<string> = new Set(YARN_TRACKING_UIS);

/**
 * `yarnAppListSchema` in one pass, for the monitor's every-tick read of the
 * whole cluster: the same empty forms (`{}`, `{"apps": null}`, `{"apps": {}}`)
 * and the single app sent as an object. `undefined` — anything the schema
 * would refuse, and unknown enum values, which the schema reports — leaves the
 * answer to the schema.
 */
export function decodeYarnAppList(json: unknown): YarnApp[] | undefined {
  if (!isJsonObject(json)) return undefined;
  const apps = json.apps;
  if (apps === undefined || apps === null) return [];
  if (!isJsonObject(apps)) return undefined;
  const app = apps.app;
  if (app === undefined || app === null) return [];
  if (!Array.isArray(app)) {
    const one = decodeYarnApp(app);
    return one && [one];
  }
  const out: YarnApp[] = [];
  for (const item of app) {
    const decoded = decodeYarnApp(item);
    if (!decoded) return undefined;
    out.push(decoded);
  }
  return out;
}

/**
 * One app as `yarnAppSchema` outputs it: the present schema fields in schema
 * order (unknown ones dropped), then what the transform sets, so even the key
 * order matches.
 */
function decodeYarnApp(a: unknown): YarnApp | undefined {
  if (!isJsonObject(a)) return undefined;
  const { id, user, name, queue, state, finalStatus, trackingUI, trackingUrl, diagnostics } = a;
  const { applicationType, applicationTags, priority, startedTime, finishedTime, amRPCAddress } = a;
  const valid =
    typeof id === "string" &&
    isOptionalString(user) &&
    isOptionalString(name) &&
    isOptionalString(queue) &&
    typeof state === "string" &&
    KNOWN_STATES.has(state) &&
    typeof finalStatus === "string" &&
    KNOWN_FINAL_STATUSES.has(finalStatus) &&
    (trackingUI === undefined || (typeof trackingUI === "string" && KNOWN_TRACKING_UIS.has(trackingUI))) &&
    isOptionalString(trackingUrl) &&
    isOptionalString(diagnostics) &&
    isOptionalString(applicationType) &&
    isOptionalString(applicationTags) &&
    (priority === undefined || isNumber(priority) || typeof priority === "string") &&
    isOptionalNumber(startedTime) &&
    isOptionalNumber(finishedTime) &&
    isOptionalString(amRPCAddress);
  if (!valid) return undefined;
  const out: Partial<Record<keyof YarnApp, unknown>> = { id };
  if (user !== undefined) out.user = user;
  if (name !== undefined) out.name = name;
  if (queue !== undefined) out.queue = queue;
  out.state = state;
  out.finalStatus = finalStatus;
  if (trackingUI !== undefined) out.trackingUI = trackingUI;
  if (trackingUrl !== undefined) out.trackingUrl = trackingUrl;
  if (diagnostics !== undefined) out.diagnostics = diagnostics;
  if (applicationType !== undefined) out.applicationType = applicationType;
  if (applicationTags !== undefined) out.applicationTags = applicationTags;
  if (priority !== undefined) out.priority = priority;
  if (startedTime !== undefined) out.startedTime = startedTime;
  if (finishedTime !== undefined) out.finishedTime = finishedTime;
  if (amRPCAddress !== undefined) out.amRPCAddress = amRPCAddress;
  out.diagnostics = diagnostics ?? "";
  out.tags = splitAppTags(applicationTags);
  out.finishedTime = finishedTime ? finishedTime : null;
  out.priority = toAppPriority(priority);
  return out as YarnApp;
}
