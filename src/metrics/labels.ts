/**
 * Label value normalizers. Every label value that reaches the registry goes
 * through one of these, so a series count is bounded by construction: a value
 * outside the known set becomes `other` instead of a new series, and free-form
 * values (route templates, target and job names) are capped per metric set.
 */

import { RUN_MODES, RUN_STATES, type RunMode, type RunState } from "../domain/run-state.ts";

/** The label value used for anything outside a known or capped set. */
export const OTHER = "other";

export { RUN_STATES } from "../domain/run-state.ts";
export type RunStateLabel = RunState | typeof OTHER;

export const SUBMISSION_MODES = RUN_MODES;
export type SubmissionMode = RunMode;

/** `recovered`: a submission found on the cluster again after a restart instead of being sent twice. */
export const SUBMISSION_OUTCOMES = ["success", "failure", "recovered"] as const;
export type SubmissionOutcome = (typeof SUBMISSION_OUTCOMES)[number];

export const OPERATION_KINDS = ["savepoint", "stop", "cancel"] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

export const OPERATION_OUTCOMES = ["succeeded", "failed"] as const;
export type OperationOutcome = (typeof OPERATION_OUTCOMES)[number];

export const UPSTREAMS = ["flink", "history-server", "yarn"] as const;
export type Upstream = (typeof UPSTREAMS)[number];

/** Why an upstream request failed; an HTTP response of any kind is not a transport error. */
export const UPSTREAM_ERROR_KINDS = [
  "timeout",
  "connection",
  "http_4xx",
  "http_5xx",
  "invalid_response",
  "other",
] as const;
export type UpstreamErrorKind = (typeof UPSTREAM_ERROR_KINDS)[number];

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

function oneOf<T extends string>(known: readonly T[], value: string): T | typeof OTHER {
  return (known as readonly string[]).includes(value) ? (value as T) : OTHER;
}

/** Raw Flink states (RESTARTING, …) are not normalized states; they count as `other`. */
export function runStateLabel(state: string): RunStateLabel {
  return oneOf(RUN_STATES, state.toUpperCase());
}

export function methodLabel(method: string): string {
  return oneOf(HTTP_METHODS, method.toUpperCase());
}

/** The numeric status code as text; anything that is not an HTTP status is `other`. */
export function statusLabel(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : OTHER;
}

export function labelOf<T extends string>(known: readonly T[], value: string): T | typeof OTHER {
  return oneOf(known, value);
}

/**
 * A free-form label (route template, target name, job name) capped at `limit`
 * distinct values: the first `limit` values seen keep their name, later ones
 * become `other`. A runaway caller (a raw path passed as a route, say) then
 * costs one extra series, not one per request.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly limit: number,
    private readonly empty: string,
  ) {}

  value(raw: string | undefined): string {
    // The placeholder for a missing value is always allowed, cap or not.
    if (raw === undefined || raw === "") return this.empty;
    if (this.seen.has(raw)) return raw;
    if (this.seen.size >= this.limit) return OTHER;
    this.seen.add(raw);
    return raw;
  }
}
