import { UpstreamError } from "../domain/errors.ts";
import type { SessionTarget, Target } from "../domain/target.ts";
import type { FlinkClient } from "../flink/flink-client.ts";
import type { JarRunInput } from "../flink/flink-request-bodies.ts";
import type { JarCache } from "./jar-cache.ts";
import type { LaunchClients } from "./launch-clients.ts";
import type { LaunchInput, Launcher, Lookup, Submission } from "./launcher.ts";
import { sessionJarFor } from "./session-jar.ts";
import type { SessionJar } from "./session-jar.ts";

export interface SessionLauncherDeps {
  clients: LaunchClients;
  jarCache: JarCache;
  /** Deadline for fetching an `http(s)://` artifact. */
  fetchTimeoutMs?: number;
}

/**
 * Session mode (DESIGN.md "Submission paths"): upload the jar once per
 * (target, sha256), then `POST /jars/{jarid}/run` with the pre-assigned job
 * id. Nothing is reserved: the job id is the run's own.
 */
export function createSessionLauncher(deps: SessionLauncherDeps): Launcher {
  return {
    reserve: () => Promise.resolve({}),

    async submit(input: LaunchInput): Promise<Submission> {
      const target = sessionTarget(input.target);
      const client = deps.clients.session(target);
      const jar = await sessionJarFor(input.run.spec.artifact, {
        artifactPath: input.artifactPath,
        ...(deps.fetchTimeoutMs !== undefined && { fetchTimeoutMs: deps.fetchTimeoutMs }),
      });
      const body = jarRunInput(input);
      const cached = await deps.jarCache.get(target.name, jar.sha256);
      if (cached === undefined) {
        const jarId = await upload(client, deps.jarCache, target, jar);
        return { ...(await client.runJar(jarId, body).then(toSubmission)), jarId };
      }
      try {
        return { ...(await client.runJar(cached, body).then(toSubmission)), jarId: cached };
      } catch (err) {
        // A restarted JobManager loses its upload dir: forget the id, upload again, retry once.
        // The failed run started no job (the handler checks the jar before running main()).
        if (!isMissingJar(err)) throw err;
        await deps.jarCache.forget(target.name, jar.sha256);
        const jarId = await upload(client, deps.jarCache, target, jar);
        return { ...(await client.runJar(jarId, body).then(toSubmission)), jarId };
      }
    },

    async find(input: LaunchInput): Promise<Lookup> {
      const client = deps.clients.session(sessionTarget(input.target));
      try {
        const job = await client.getJob(input.run.flinkJobId);
        return { found: true, flinkState: job.state };
      } catch (err) {
        // 404 is the cluster's definite "no such job"; a transport failure is no answer and is thrown.
        if (err instanceof UpstreamError && err.failure === "not-found") return { found: false };
        throw err;
      }
    },
  };
}

function sessionTarget(target: Target): SessionTarget {
  if (target.kind !== "session") throw new Error(`session launcher given a ${target.kind} target (${target.name})`);
  return target;
}

async function upload(client: FlinkClient, cache: JarCache, target: SessionTarget, jar: SessionJar): Promise<string> {
  const { jarId } = await client.uploadJar({ fileName: jar.fileName, content: await jar.read() });
  await cache.put(target.name, jar.sha256, jarId);
  return jarId;
}

function jarRunInput({ run }: LaunchInput): JarRunInput {
  const { spec } = run;
  return {
    jobId: run.flinkJobId,
    args: spec.args,
    ...(spec.entryClass !== null && { entryClass: spec.entryClass }),
    ...(spec.parallelism !== null && { parallelism: spec.parallelism }),
    ...(spec.savepointPath !== null && { savepointPath: spec.savepointPath, allowNonRestoredState: spec.allowNonRestoredState }),
    ...(spec.restoreMode !== null && { restoreMode: spec.restoreMode }),
    // jarRunBody refuses this on clusters older than 1.17, which would silently drop it.
    ...(Object.keys(spec.flinkConfig).length > 0 && { flinkConfiguration: spec.flinkConfig }),
  };
}

function toSubmission(r: { jobId: string }): Submission {
  return { flinkJobId: r.jobId };
}

/** Flink answers 400 `Jar file <path> does not exist` (JarHandlerUtils; flink/NOTES.md) for an unknown jar id. */
export function isMissingJar(err: unknown): boolean {
  if (!(err instanceof UpstreamError) || (err.failure !== "rejected" && err.failure !== "not-found")) return false;
  return [err.upstreamMessage, err.upstreamDetail].some((m) => m !== undefined && /Jar file .* does not exist/.test(m));
}
