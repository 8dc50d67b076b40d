import type { Run } from "../domain/run.ts";
import type { Target } from "../domain/target.ts";

/**
 * The submission paths (session, yarn-rest, flink-cli) behind one port. The
 * run service calls them in this order, persisting between the steps:
 *   1. reserve()  — IDs that exist before anything runs (yarn-rest: the new
 *      application id); stored on the run before step 2.
 *   2. submit()   — sends the job; its result is stored.
 *   3. find()     — after a crash between 1 and 2's result: is the job there?
 * Transport failures are thrown as UpstreamError and never decide anything;
 * an upstream's refusal (`rejected`, `not-found`) is a definite answer.
 */
export interface LaunchInput {
  /** The stored run: SUBMITTING, with flinkJobId, yarn.tag and (yarn-rest) yarn.applicationId. */
  run: Run;
  target: Target;
  /** Where the run's jar is on this machine when it was uploaded to flinkgate. */
  artifactPath: string | null;
}

export interface Reservation {
  yarnApplicationId?: string;
}

export interface Submission {
  /** The Flink job id the cluster uses (always the pre-assigned one unless Flink ignored it). */
  flinkJobId: string;
  yarnApplicationId?: string;
  /** Session clusters: the jar id the cluster gave the uploaded jar. */
  jarId?: string;
}

export type Lookup =
  | {
      found: true;
      yarnApplicationId?: string;
      flinkState?: string;
      /** YARN runs: the application's state and finalStatus as the RM reports them. */
      yarnState?: string;
      yarnFinalStatus?: string;
    }
  | { found: false };

export interface Launcher {
  reserve(input: LaunchInput): Promise<Reservation>;
  submit(input: LaunchInput): Promise<Submission>;
  find(input: LaunchInput): Promise<Lookup>;
}

export type SavepointStatus =
  | { state: "IN_PROGRESS" }
  | { state: "SUCCEEDED"; location: string }
  | { state: "FAILED"; failureCause: string };

/**
 * Actions on a running job. On YARN, writes go to the JobManager's own REST
 * address read from the RM each time (the RM proxy forwards reads only, and
 * the address changes when the AM restarts).
 */
export interface JobControl {
  /** `killed` when the cluster could not be reached and the YARN application was killed instead. */
  cancel(run: Run, target: Target): Promise<{ via: "flink" | "yarn-kill" }>;
  /** `triggerId`: chosen by the caller and stored first, so a repeated trigger is the same Flink operation. */
  triggerSavepoint(run: Run, target: Target, options: { targetDirectory: string | null; triggerId?: string }): Promise<{ triggerId: string }>;
  stopWithSavepoint(run: Run, target: Target, options: { targetDirectory: string | null; drain: boolean; triggerId?: string }): Promise<{ triggerId: string }>;
  savepointStatus(run: Run, target: Target, triggerId: string): Promise<SavepointStatus>;
}
