/**
 * Token scopes. `admin` implies every other scope. `<resource>:write`
 * implies `<resource>:read`.
 */
export const SCOPES = [
  "admin",
  "targets:read",
  "targets:write",
  "jobs:read",
  "jobs:write",
  "runs:read",
  "runs:write",
  "events:read",
  "webhooks:manage",
  "workflows:read",
  "workflows:write",
] as const;

export type Scope = (typeof SCOPES)[number];

export function grants(held: readonly string[], wanted: Scope): boolean {
  if (held.includes("admin") || held.includes(wanted)) return true;
  if (wanted.endsWith(":read")) return held.includes(wanted.replace(/:read$/, ":write"));
  return false;
}
