import { GatewayError } from "../domain/errors.ts";

/**
 * Errors a submission path raises before (or instead of) asking an upstream.
 * Their `type`s are published problem types: clients switch on them.
 */

/** The artifact cannot reach the cluster by this path (e.g. an `hdfs://` jar for a session upload). */
export function artifactUnusable(detail: string, extra: Record<string, unknown> = {}): GatewayError {
  return new GatewayError({ status: 422, type: "artifact-unusable-for-target", title: "Artifact cannot be used on this target", detail, extra });
}

/** The artifact URI could not be read by the gateway (missing local file, HTTP error). */
export function artifactUnreadable(uri: string, reason: string, cause?: unknown): GatewayError {
  return new GatewayError({
    status: 422,
    type: "artifact-unreadable",
    title: "Artifact could not be read",
    detail: `${uri}: ${reason}`,
    extra: { uri },
    cause,
  });
}

/** The mode / target / launcher combination has no submission path. */
export function launchModeUnsupported(detail: string, extra: Record<string, unknown>): GatewayError {
  return new GatewayError({ status: 422, type: "launch-mode-unsupported", title: "Mode not supported on this target", detail, extra });
}

/**
 * The Flink CLI failed (non-zero exit, timeout, or output without the ids).
 * It says nothing definite about the job: the application may have been
 * submitted before the failure, so the caller looks for it by tag.
 */
export class FlinkCliError extends GatewayError {
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly outputTail: string;

  constructor(opts: { message: string; exitCode: number | null; timedOut: boolean; outputTail: string; cause?: unknown }) {
    super({
      status: 502,
      type: "flink-cli-failed",
      title: "Flink CLI failed",
      detail: opts.message,
      extra: { exitCode: opts.exitCode, timedOut: opts.timedOut, outputTail: opts.outputTail },
      cause: opts.cause,
    });
    this.exitCode = opts.exitCode;
    this.timedOut = opts.timedOut;
    this.outputTail = opts.outputTail;
  }
}
