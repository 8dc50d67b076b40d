import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Clock } from "../domain/clock.ts";
import { ConflictError, GatewayError, NotFoundError, UpstreamError } from "../domain/errors.ts";
import type { Run } from "../domain/run.ts";
import { isTerminal } from "../domain/run-state.ts";
import type { Target } from "../domain/target.ts";
import type { JobControl } from "../launch/launcher.ts";
import type { Logger } from "../logging/logger.ts";
import { findOpenOperation, findOperation, listOpenOperations, type Operation, type OperationKind } from "../store/operation-repository.ts";
import { findRun } from "../store/run-repository.ts";
import type { Database } from "../store/schema.ts";
import { findTarget } from "../store/target-repository.ts";
import type { OperationWriter } from "./operation-writer.ts";
import type { RunWriter } from "./run-writer.ts";

export interface OperationServiceDeps {
  db: Kysely<Database>;
  clock: Clock;
  runs: RunWriter;
  operations: OperationWriter;
  control: JobControl;
  logger: Logger;
  /** A savepoint or stop that has not completed after this long is failed. */
  timeoutMs: number;
}

function message(error: unknown): string {
  if (error instanceof UpstreamError) return error.upstreamMessage ?? error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Savepoint, stop-with-savepoint and cancel as operation resources. The
 * savepoint trigger id is chosen here and stored before Flink is asked
 * (Flink accepts a client-chosen trigger id and treats a repeat as the same
 * request), so a gateway that dies mid-trigger asks again with the same id.
 */
export function createOperationService(deps: OperationServiceDeps) {
  async function activeRun(runId: string): Promise<{ run: Run; target: Target }> {
    const run = await findRun(deps.db, runId);
    if (!run) throw new NotFoundError("run", runId);
    if (isTerminal(run.state)) throw new ConflictError(`run '${runId}' has already ended (${run.state})`, "run-ended");
    if (run.state === "PENDING" || run.state === "SUBMITTING") {
      throw new ConflictError(`run '${runId}' is still being submitted; retry once it is DEPLOYING or RUNNING`, "run-not-submitted");
    }
    const stored = await findTarget(deps.db, run.target);
    if (!stored) throw new ConflictError(`the target '${run.target}' of run '${runId}' no longer exists`, "target-missing");
    return { run, target: stored.target };
  }

  async function trigger(op: Operation, run: Run, target: Target): Promise<Operation> {
    const triggerId = op.triggerId ?? randomBytes(16).toString("hex");
    if (!op.triggerId) await deps.operations.change(op.id, { triggerId });
    try {
      const options = { targetDirectory: op.targetDirectory, triggerId };
      const result =
        op.kind === "stop"
          ? await deps.control.stopWithSavepoint(run, target, { ...options, drain: op.drain })
          : await deps.control.triggerSavepoint(run, target, options);
      return (await deps.operations.change(op.id, { state: "RUNNING", triggerId: result.triggerId })) ?? op;
    } catch (error) {
      if (error instanceof UpstreamError && error.isTransport) throw error; // PENDING: the follower asks again
      return (await deps.operations.change(op.id, { state: "FAILED", failureCause: message(error) })) ?? op;
    }
  }

  async function startSavepoint(runId: string, kind: Exclude<OperationKind, "cancel">, targetDirectory: string | null, drain: boolean) {
    const { run, target } = await activeRun(runId);
    const open = await findOpenOperation(deps.db, runId);
    if (open && open.kind !== "cancel") {
      throw new ConflictError(`operation '${open.id}' (${open.kind}) is still in progress on run '${runId}'`, "operation-in-progress");
    }
    const op = await deps.operations.create({ runId, kind, targetDirectory, drain });
    try {
      return await trigger(op, run, target);
    } catch (error) {
      deps.logger.warn({ err: error, operationId: op.id }, "savepoint trigger undetermined; will retry");
      return (await findOperation(deps.db, op.id)) ?? op;
    }
  }

  async function followSavepoint(op: Operation, run: Run, target: Target): Promise<void> {
    if (op.state === "PENDING") {
      await trigger(op, run, target);
      return;
    }
    const status = await deps.control.savepointStatus(run, target, op.triggerId ?? "");
    if (status.state === "SUCCEEDED") {
      await deps.runs.change(run.id, [run.state], { lastSavepoint: status.location }, "operation");
      await deps.operations.change(op.id, { state: "SUCCEEDED", location: status.location });
    } else if (status.state === "FAILED") {
      await deps.operations.change(op.id, { state: "FAILED", failureCause: status.failureCause });
    } else if (deps.clock.now().getTime() - op.createdAt.getTime() > deps.timeoutMs) {
      await deps.operations.change(op.id, { state: "FAILED", failureCause: `no result after ${Math.round(deps.timeoutMs / 1000)} s` });
    }
  }

  /** A cancel ends when the run does: CANCELED is success, any other end is not. */
  async function followCancel(op: Operation, run: Run): Promise<void> {
    if (!isTerminal(run.state)) return;
    if (run.state === "CANCELED") await deps.operations.change(op.id, { state: "SUCCEEDED" });
    else await deps.operations.change(op.id, { state: "FAILED", failureCause: `the run ended as ${run.state} before the cancel took effect` });
  }

  return {
    savepoint: (runId: string, input: { targetDirectory?: string | undefined }) =>
      startSavepoint(runId, "savepoint", input.targetDirectory ?? null, false),

    stop: (runId: string, input: { targetDirectory?: string | undefined; drain?: boolean | undefined }) =>
      startSavepoint(runId, "stop", input.targetDirectory ?? null, input.drain ?? false),

    async cancel(runId: string): Promise<Operation> {
      const { run, target } = await activeRun(runId);
      const open = await findOpenOperation(deps.db, runId);
      if (open?.kind === "cancel") return open;
      const op = await deps.operations.create({ runId, kind: "cancel", targetDirectory: null, drain: false });
      try {
        await deps.control.cancel(run, target);
      } catch (error) {
        await deps.operations.change(op.id, { state: "FAILED", failureCause: message(error) });
        if (error instanceof GatewayError) throw Object.assign(error, { extra: { ...error.extra, operationId: op.id } });
        throw error;
      }
      await deps.runs.change(runId, ["DEPLOYING", "RUNNING", "LOST"], { state: "CANCELLING" }, "api");
      return (await deps.operations.change(op.id, { state: "RUNNING" })) ?? op;
    },

    async get(id: string): Promise<Operation> {
      const op = await findOperation(deps.db, id);
      if (!op) throw new NotFoundError("operation", id);
      return op;
    },

    /** One pass over the operations in progress (the follower loop's tick). */
    async follow(limit = 50): Promise<void> {
      for (const op of await listOpenOperations(deps.db, limit)) {
        const run = await findRun(deps.db, op.runId);
        if (!run) continue;
        try {
          if (op.kind === "cancel") {
            await followCancel(op, run);
            continue;
          }
          const stored = await findTarget(deps.db, run.target);
          if (stored) await followSavepoint(op, run, stored.target);
        } catch (error) {
          // Transport errors say nothing about the savepoint: ask again next tick.
          deps.logger.debug({ err: error, operationId: op.id }, "operation status not available yet");
        }
      }
    },
  };
}

export type OperationService = ReturnType<typeof createOperationService>;
