import type { Kysely } from "kysely";
import type { Clock } from "../domain/clock.ts";
import { ConflictError, NotFoundError } from "../domain/errors.ts";
import type { Target } from "../domain/target.ts";
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
