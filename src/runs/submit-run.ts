import { GatewayError, UpstreamError } from "../domain/errors.ts";
import type { Run } from "../domain/run.ts";
import type { Target } from "../domain/target.ts";
import { FlinkCliError } from "../launch/launch-errors.ts";
import type { Launcher, LaunchInput } from "../launch/launcher.ts";
import type { RunWriter } from "./run-writer.ts";

export type SubmitOutcome =
  | { kind: "submitted"; run: Run; recovered: boolean }
  /** Sent, but no answer says whether it arrived: left SUBMITTING for recovery to resolve. */
  | { kind: "undetermined"; run: Run; error: GatewayError }
  | { kind: "failed"; run: Run; error: GatewayError }
  /** Another writer moved the run first (it was cancelled meanwhile). */
  | { kind: "superseded"; run: Run | undefined };

export interface SubmitDeps {
  writer: RunWriter;
  launcher: Launcher;
  now: () => Date;
}

/**
 * Failures that prove nothing reached the cluster: it refused the connection,
 * no RM was active, or it answered that it will not run the job.
 */
function provesNotSubmitted(error: GatewayError): boolean {
  if (!(error instanceof UpstreamError)) return true;
  return ["refused", "standby", "rejected", "not-found"].includes(error.failure);
}

/** Errors whose answer may have come after the job was created (a 5xx, a garbled reply). */
function worthLookingUp(error: UpstreamError): boolean {
  return ["server-error", "bad-response", "redirected"].includes(error.failure);
}

function asGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  throw error;
}

async function fail(deps: SubmitDeps, run: Run, error: GatewayError): Promise<SubmitOutcome> {
  const failed = await deps.writer.change(run.id, ["PENDING", "SUBMITTING"], {
    state: "FAILED",
    failureCause: error instanceof UpstreamError && error.upstreamMessage ? error.upstreamMessage : error.message,
    endedAt: deps.now(),
  }, "submission");
  return failed ? { kind: "failed", run: failed, error } : { kind: "superseded", run: undefined };
}

async function attached(deps: SubmitDeps, run: Run, patch: { yarnApplicationId?: string | undefined; jarId?: string | undefined }, recovered: boolean): Promise<SubmitOutcome> {
  const deploying = await deps.writer.change(run.id, ["SUBMITTING"], {
    state: "DEPLOYING",
    submittedAt: deps.now(),
    ...(patch.yarnApplicationId ? { yarnApplicationId: patch.yarnApplicationId } : {}),
    ...(patch.jarId ? { jarId: patch.jarId } : {}),
  }, recovered ? "recovery" : "submission");
  return deploying ? { kind: "submitted", run: deploying, recovered } : { kind: "superseded", run: undefined };
}

/**
 * Drives one run from PENDING through SUBMITTING to DEPLOYING (DESIGN.md
 * "The forgotten job"): the IDs are stored before the submission is sent,
 * and a run in SUBMITTING is only sent again when the cluster provably does
 * not have it. The caller holds the run's submission claim.
 */
export async function submitRun(deps: SubmitDeps, run: Run, target: Target, artifactPath: string | null): Promise<SubmitOutcome> {
  const input = (r: Run): LaunchInput => ({ run: r, target, artifactPath });
  let current = run;
  const resubmission = run.state === "SUBMITTING";

  if (current.state === "PENDING") {
    let reservation;
    try {
      reservation = await deps.launcher.reserve(input(current));
    } catch (error) {
      // Nothing has been submitted yet: any failure here is safe to report as FAILED.
      return fail(deps, current, asGatewayError(error));
    }
    const submitting = await deps.writer.change(current.id, ["PENDING"], {
      state: "SUBMITTING",
      ...(reservation.yarnApplicationId ? { yarnApplicationId: reservation.yarnApplicationId } : {}),
    }, "submission");
    if (!submitting) return { kind: "superseded", run: undefined };
    current = submitting;
  } else {
    // SUBMITTING: an earlier attempt may have reached the cluster.
    const lookup = await deps.launcher.find(input(current));
    if (lookup.found) return attached(deps, current, { yarnApplicationId: lookup.yarnApplicationId }, true);
  }

  try {
    const submission = await deps.launcher.submit(input(current));
    return attached(deps, current, submission, false);
  } catch (thrown) {
    const error = asGatewayError(thrown);
    // A resubmission can be refused because the first attempt did arrive
    // after all (Flink: duplicate job id), and a failed Flink CLI may have
    // submitted the application before it died: look before calling it failed.
    const lookFirst =
      error instanceof FlinkCliError ||
      (error instanceof UpstreamError && (worthLookingUp(error) || (resubmission && error.failure === "rejected")));
    if (!lookFirst && provesNotSubmitted(error)) return fail(deps, current, error);
    if (lookFirst) {
      try {
        const lookup = await deps.launcher.find(input(current));
        return lookup.found ? attached(deps, current, { yarnApplicationId: lookup.yarnApplicationId }, true) : fail(deps, current, error);
      } catch {
        // The lookup failed too: recovery asks again later.
      }
    }
    return { kind: "undetermined", run: current, error };
  }
}
