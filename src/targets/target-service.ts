import type { Kysely } from "kysely";
import type { Clock } from "../domain/clock.ts";
import { ConflictError, NotFoundError } from "../domain/errors.ts";
import type { Target } from "../domain/target.ts";
import { findLeases, findTargetHealths } from "../store/lease-repository.ts";
import type { Database } from "../store/schema.ts";
import {
  deleteIdleTarget,
  findTarget,
  insertTarget,
  listTargets,
  type StoredTarget,
  updateTarget,
} from "../store/target-repository.ts";

export type TargetService = ReturnType<typeof createTargetService>;

/** The monitor's view of a target; every field null until it was first reconciled (or leased). */
export interface TargetHealthView {
  consecutiveFailures: number | null;
  errorCount: number | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastSuccessAt: Date | null;
  leaseHolder: string | null;
  leaseExpiresAt: Date | null;
}

export function createTargetService(deps: { db: Kysely<Database>; clock: Clock }) {
  return {
    async create(target: Target): Promise<StoredTarget> {
      const stored = await insertTarget(deps.db, target, deps.clock.now());
      if (!stored) throw new ConflictError(`target '${target.name}' already exists`, "target-exists");
      return stored;
    },

    async get(name: string): Promise<StoredTarget> {
      const stored = await findTarget(deps.db, name);
      if (!stored) throw new NotFoundError("target", name);
      return stored;
    },

    list: (page: { limit: number; after: string | undefined }) => listTargets(deps.db, page),

    /** How the monitor fares with each named target: its health row and who holds its lease. */
    async health(names: string[]): Promise<Map<string, TargetHealthView>> {
      const [healths, leases] = await Promise.all([findTargetHealths(deps.db, names), findLeases(deps.db, names)]);
      return new Map(
        names.map((name) => {
          const health = healths.get(name);
          const lease = leases.get(name);
          return [
            name,
            {
              consecutiveFailures: health?.consecutiveFailures ?? null,
              errorCount: health?.errorCount ?? null,
              lastError: health?.lastError ?? null,
              lastErrorAt: health?.lastErrorAt ?? null,
              lastSuccessAt: health?.lastSuccessAt ?? null,
              leaseHolder: lease?.holder ?? null,
              leaseExpiresAt: lease?.expiresAt ?? null,
            },
          ];
        }),
      );
    },

    /**
     * Replaces the target with `change(current)`. The row is locked while
     * `change` runs, so concurrent updates apply one after the other instead
     * of the later one silently dropping the earlier one's fields.
     */
    async update(name: string, change: (current: Target) => Target): Promise<StoredTarget> {
      return deps.db.transaction().execute(async (trx) => {
        const current = await findTarget(trx, name, { forUpdate: true });
        if (!current) throw new NotFoundError("target", name);
        const next = change(current.target);
        const stored = await updateTarget(trx, next, deps.clock.now());
        if (!stored) throw new NotFoundError("target", name);
        return stored;
      });
    },

    async delete(name: string): Promise<void> {
      const result = await deleteIdleTarget(deps.db, name);
      if (result.kind === "not-found") throw new NotFoundError("target", name);
      if (result.kind === "in-use") {
        throw new ConflictError(
          `target '${name}' still has ${result.activeRuns} run(s) that have not finished; cancel them or wait for them to end`,
          "target-in-use",
        );
      }
    },
  };
}
