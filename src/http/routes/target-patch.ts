import { type FieldIssue, ValidationError } from "../../domain/errors.ts";
import { applyMergePatch, isJsonObject, type JsonObject } from "../../domain/merge-patch.ts";
import { type Target, targetSchema } from "../../domain/target.ts";
import { fieldIssues } from "../validation.ts";

/** What the API shows instead of a header value or a CLI environment value: they carry credentials. */
export const REDACTED = "[redacted]";

/** The map of each kind of target whose values are hidden: a session cluster's headers, the Flink CLI's environment. */
const SECRET_MAP = { session: "headers", yarn: "cliEnv" } as const;

function storedSecrets(target: Target): Record<string, string> {
  return target.kind === "session" ? target.headers : target.cliEnv;
}

const IMMUTABLE = ["name", "kind"] as const;
/** Fields the API shows but a client cannot set; a GET sent back as a PATCH carries them. */
const READ_ONLY = ["createdAt", "updatedAt", "health"];

/**
 * Applies a JSON merge patch (RFC 7396) to a stored target and validates the
 * result with the same schema as a new target, so a patch can never store a
 * target that POST would refuse. Errors name fields as `body.<path>`.
 *
 * Clients only ever see header (and CLI environment) values as "[redacted]",
 * so a client that sends back what it read (GET, edit, PATCH) must not
 * overwrite the secret with that placeholder: "[redacted]" for a stored
 * value keeps it.
 */
export function applyTargetPatch(current: Target, patch: JsonObject): Target {
  const issues: FieldIssue[] = [];
  for (const field of IMMUTABLE) {
    if (field in patch && patch[field] !== current[field]) issues.push({ field: `body.${field}`, message: "cannot be changed; create a new target instead" });
  }
  let effective: JsonObject = Object.fromEntries(Object.entries(patch).filter(([key]) => !READ_ONLY.includes(key)));
  const field = SECRET_MAP[current.kind];
  const secrets = effective[field];
  if (isJsonObject(secrets)) {
    const stored = storedSecrets(current);
    const kept: JsonObject = {};
    for (const [name, value] of Object.entries(secrets)) {
      if (value !== REDACTED) kept[name] = value;
      else if (!(name in stored)) issues.push({ field: `body.${field}.${name}`, message: `is '${REDACTED}' but no such value is stored; send its value` });
    }
    effective = { ...effective, [field]: kept };
  }
  if (issues.length > 0) throw new ValidationError(issues);
  const parsed = targetSchema.safeParse(applyMergePatch(current, effective));
  if (!parsed.success) throw new ValidationError(fieldIssues(parsed.error, "body"));
  return parsed.data;
}

/** The target as the API shows it: header and CLI environment values hidden. */
export function redactTarget(target: Target): Target {
  const hidden = Object.fromEntries(Object.keys(storedSecrets(target)).map((name) => [name, REDACTED]));
  return { ...target, [SECRET_MAP[target.kind]]: hidden };
}
