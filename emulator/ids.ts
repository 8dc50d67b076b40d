import { createHash, randomBytes } from "node:crypto";

/** Flink ids (job, trigger, vertex) are 32 lowercase hex chars (flink/NOTES.md). */
export const HEX32 = /^[0-9a-f]{32}$/;

export function randomHex32(): string {
  return randomBytes(16).toString("hex");
}

/** Stable 32-hex id derived from a seed, so vertex ids stay the same across requests. */
export function derivedHex32(seed: string): string {
  return createHash("md5").update(seed).digest("hex");
}

/** `application_<clusterTimestamp>_<seq>`, seq zero-padded to 4 (yarn/NOTES.md). */
export function yarnApplicationId(clusterTimestamp: number, seq: number): string {
  return `application_${clusterTimestamp}_${String(seq).padStart(4, "0")}`;
}

export const YARN_APP_ID = /^application_(\d+)_(\d+)$/;
