import { lenientEnum } from "../upstream/lenient-enum.ts";
import type { Lenient } from "../upstream/lenient-enum.ts";

/** YarnApplicationState (yarn/NOTES.md "The app object"). */
export const YARN_APP_STATES = ["NEW", "NEW_SAVING", "SUBMITTED", "ACCEPTED", "RUNNING", "FINISHED", "FAILED", "KILLED"] as const;
export type YarnAppState = (typeof YARN_APP_STATES)[number];

/** FinalApplicationStatus as reported by the AM; UNDEFINED while running. */
export const YARN_FINAL_STATUSES = ["UNDEFINED", "SUCCEEDED", "FAILED", "KILLED"] as const;
export type YarnFinalStatus = (typeof YARN_FINAL_STATUSES)[number];

export const YARN_HA_STATES = ["INITIALIZING", "ACTIVE", "STANDBY", "STOPPED"] as const;
export const YARN_SERVICE_STATES = ["NOTINITED", "INITED", "STARTED", "STOPPED"] as const;
export const YARN_TRACKING_UIS = ["UNASSIGNED", "ApplicationMaster", "History"] as const;

export const yarnAppStateSchema = lenientEnum("yarn.YarnApplicationState", YARN_APP_STATES);
export type YarnAppStateValue = Lenient<YarnAppState>;
export const yarnFinalStatusSchema = lenientEnum("yarn.FinalApplicationStatus", YARN_FINAL_STATUSES);
export const yarnHaStateSchema = lenientEnum("yarn.HAServiceState", YARN_HA_STATES);
export const yarnServiceStateSchema = lenientEnum("yarn.ServiceState", YARN_SERVICE_STATES);
export const yarnTrackingUiSchema = lenientEnum("yarn.TrackingUI", YARN_TRACKING_UIS);

export function isTerminalAppState(state: string): boolean {
  return state === "FINISHED" || state === "FAILED" || state === "KILLED";
}
