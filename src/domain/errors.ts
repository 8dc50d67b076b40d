/**
 * The one error hierarchy. Every error that reaches the HTTP edge is a
 * GatewayError (or is wrapped into one) and is rendered as RFC 9457
 * problem+json by src/http/problem.ts. `type` is a stable identifier that
 * clients may switch on; it never changes once published.
 */
export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `body.args.0` or `query.limit`. */
  field: string;
  message: string;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly extra: Record<string, unknown>;

  constructor(opts: {
    status: number;
    type: string;
    title: string;
    detail?: string;
    extra?: Record<string, unknown>;
    cause?: unknown;
  }) {
    super(opts.detail ?? opts.title, { cause: opts.cause });
    this.name = new.target.name;
    this.status = opts.status;
    this.type = opts.type;
    this.title = opts.title;
    this.extra = opts.extra ?? {};
  }
}

export class ValidationError extends GatewayError {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[], detail?: string) {
    super({
      status: 400,
      type: "validation-error",
      title: "Request validation failed",
      detail: detail ?? issues.map((i) => `${i.field}: ${i.message}`).join("; "),
      extra: { errors: issues },
    });
    this.issues = issues;
  }
}

export class NotFoundError extends GatewayError {
  constructor(what: string, id: string) {
    super({ status: 404, type: "not-found", title: "Not found", detail: `${what} '${id}' does not exist` });
  }
}

export class ConflictError extends GatewayError {
  constructor(detail: string, type = "conflict") {
    super({ status: 409, type, title: "Conflict", detail });
  }
}

export class UnauthorizedError extends GatewayError {
  constructor(detail: string) {
    super({ status: 401, type: "unauthorized", title: "Unauthorized", detail });
  }
}

export class ForbiddenError extends GatewayError {
  constructor(missingScope: string) {
    super({
      status: 403,
      type: "forbidden",
      title: "Forbidden",
      detail: `this token lacks the '${missingScope}' scope`,
      extra: { missingScope },
    });
  }
}

/** What went wrong talking to an upstream (Flink, History Server, YARN RM). */
export type UpstreamFailure =
  | "refused" // connection refused / DNS failure
  | "reset" // connection reset or closed mid-response
  | "timeout" // no answer within the per-request timeout
  | "server-error" // 5xx
  | "bad-response" // 2xx but not the JSON we expected (HTML page, schema mismatch)
  | "standby" // a standby YARN RM answered
  | "not-found" // 404 from the upstream
  | "rejected" // 4xx other than 404: the upstream understood and refused
  | "redirected"; // a 3xx we do not follow (e.g. the RM proxy of a finished app points elsewhere)

export type UpstreamName = "flink" | "history-server" | "yarn";

/**
 * A failure talking to an upstream. Transport kinds (`refused`, `reset`,
 * `timeout`, `server-error`, `bad-response`, `standby`) are never evidence
 * about a job: callers back off and count them, they never change a state.
 */
export class UpstreamError extends GatewayError {
  readonly upstream: UpstreamName;
  readonly failure: UpstreamFailure;
  readonly url: string;
  readonly upstreamStatus: number | undefined;
  readonly upstreamMessage: string | undefined;
  readonly upstreamDetail: string | undefined;

  constructor(opts: {
    upstream: UpstreamName;
    failure: UpstreamFailure;
    url: string;
    message: string;
    upstreamStatus?: number;
    upstreamMessage?: string;
    /** The upstream's full error text (e.g. a Java stack trace), truncated. */
    upstreamDetail?: string;
    cause?: unknown;
  }) {
    super({
      status: opts.failure === "rejected" || opts.failure === "not-found" ? 422 : 502,
      type: `upstream-${opts.failure}`,
      title: `Upstream ${opts.upstream} ${opts.failure}`,
      detail: opts.message,
      extra: { upstream: opts.upstream, upstreamStatus: opts.upstreamStatus, upstreamMessage: opts.upstreamMessage },
      cause: opts.cause,
    });
    this.upstream = opts.upstream;
    this.failure = opts.failure;
    this.url = opts.url;
    this.upstreamStatus = opts.upstreamStatus;
    this.upstreamMessage = opts.upstreamMessage;
    this.upstreamDetail = opts.upstreamDetail;
  }

  /** True when the error says nothing about the job: the upstream was not heard. */
  get isTransport(): boolean {
    return this.failure !== "not-found" && this.failure !== "rejected";
  }
}

/**
 * A call the client refuses before sending: the endpoint cannot serve it
 * (a write through the YARN RM proxy, a non-archived path on the History
 * Server) or the upstream's version does not understand a requested field
 * (Flink ignores unknown JSON fields silently, so sending it would lose the
 * caller's intent without an error).
 */
export class UnsupportedUpstreamOperationError extends GatewayError {
  readonly upstream: UpstreamName;
  readonly operation: string;

  constructor(opts: { upstream: UpstreamName; operation: string; reason: string }) {
    super({
      status: 409,
      type: "upstream-operation-unsupported",
      title: "Operation not supported by this upstream",
      detail: `${opts.operation}: ${opts.reason}`,
      extra: { upstream: opts.upstream, operation: opts.operation },
    });
    this.upstream = opts.upstream;
    this.operation = opts.operation;
  }
}
