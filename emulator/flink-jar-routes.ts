import { Hono } from "hono";
import { DuplicateJobError } from "./emulator-model.ts";
import { flinkHandlerError, flinkJson, flinkRouteNotFound } from "./flink-errors.ts";
import { lenientJson, type FlinkEnv } from "./flink-env.ts";
import { HEX32 } from "./ids.ts";

/** The `/jars/*` family: session clusters only (web submission handlers; flink/NOTES.md). */
export const flinkJarRoutes = new Hono<FlinkEnv>();

flinkJarRoutes.use("/jars/*", async (c, next) => {
  if (c.env.cluster.options.kind !== "session") return flinkRouteNotFound(c.env.uri);
  await next();
});
flinkJarRoutes.use("/jars", async (c, next) => {
  if (c.env.cluster.options.kind !== "session") return flinkRouteNotFound(c.env.uri);
  await next();
});

flinkJarRoutes.post("/jars/upload", async (c) => {
  const { cluster, model } = c.env;
  const isMultipart = (c.req.header("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
  const form = isMultipart ? await c.req.parseBody({ all: true }) : {};
  const files: File[] = [];
  for (const [name, value] of Object.entries(form)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      // The part name is not looked at: any file part counts (FileUploadHandler).
      if (typeof item !== "string") files.push(item);
      else if (name !== "request") return flinkHandlerError(400, `Received unknown attribute ${name}.`);
    }
  }
  if (files.length !== 1) return flinkHandlerError(400, `Exactly 1 file must be sent, received ${files.length}.`);
  const file = files[0]!;
  if (!file.name.endsWith(".jar")) return flinkHandlerError(400, "Only Jar files are allowed.");
  const id = `${crypto.randomUUID()}_${file.name}`;
  cluster.jars.set(id, { id, name: file.name, uploaded: model.now() });
  return flinkJson({ status: "success", filename: `${cluster.uploadDir}/${id}` });
});

flinkJarRoutes.get("/jars", (c) => {
  const { cluster } = c.env;
  // The emulator does not open jars, so there is no manifest entry to list.
  const files = [...cluster.jars.values()].map((jar) => ({ id: jar.id, name: jar.name, uploaded: jar.uploaded, entry: [] }));
  return flinkJson({ address: cluster.address, files });
});

flinkJarRoutes.delete("/jars/:jarid", (c) => {
  const { cluster } = c.env;
  const id = c.req.param("jarid");
  if (!cluster.jars.delete(id)) return flinkHandlerError(400, `File ${id} does not exist in ${cluster.uploadDir}.`);
  return flinkJson({});
});

flinkJarRoutes.post("/jars/:jarid/run", async (c) => {
  const { cluster, model } = c.env;
  const jarId = c.req.param("jarid");
  const body = await lenientJson(c, "JarRunRequestBody");
  if (body instanceof Response) return body;
  if (!cluster.jars.has(jarId)) return flinkHandlerError(400, `Jar file ${cluster.uploadDir}/${jarId} does not exist`);

  const jobId = body.jobId;
  if (jobId !== undefined && jobId !== null && (typeof jobId !== "string" || !HEX32.test(jobId))) {
    return flinkJson({ errors: ["Request did not match expected format JarRunRequestBody."] }, 400);
  }
  const query = (name: string): string | undefined => c.req.query(name);
  const entryClass = str(body.entryClass) ?? query("entry-class") ?? null;
  const args = programArgs(body, query, cluster.features.v2);
  const parallelism = num(body.parallelism) ?? num(query("parallelism")) ?? null;
  const config: Record<string, string> = {};
  if (body.flinkConfiguration && typeof body.flinkConfiguration === "object") {
    for (const [k, v] of Object.entries(body.flinkConfiguration)) config[k] = String(v);
  }
  const savepointPath = str(body.savepointPath) ?? query("savepointPath");
  if (savepointPath) config["execution.savepoint.path"] = savepointPath;

  if (!entryClass) {
    return runFailure("org.apache.flink.client.program.ProgramInvocationException: Neither a 'Main-Class', nor a 'program-class' entry was found in the jar file.");
  }
  try {
    const job = model.submitJob(cluster, { jobId: typeof jobId === "string" ? jobId : null, entryClass, args, parallelism, config });
    return flinkJson({ jobid: job.id });
  } catch (error) {
    if (error instanceof DuplicateJobError) {
      return runFailure(
        `org.apache.flink.util.FlinkException: Failed to execute job '${config["pipeline.name"] ?? "Flink Streaming Job"}'.`,
        `org.apache.flink.runtime.client.DuplicateJobSubmissionException: ${error.message}`,
      );
    }
    // A bad `--emulator.*` arg behaves like main() throwing.
    return runFailure(`org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: ${(error as Error).message}`);
  }
});

/** main() failures → 400 `Could not execute application.` with the cause chain (flink/NOTES.md). */
function runFailure(...causes: string[]): Response {
  return flinkHandlerError(400, "Could not execute application.", causes);
}

/** programArgsList wins; `programArgs` (string) and query `program-args` were removed in 2.0 and are ignored there. */
function programArgs(body: Record<string, unknown>, query: (n: string) => string | undefined, v2: boolean): string[] {
  if (Array.isArray(body.programArgsList)) return body.programArgsList.map(String);
  const single = str(body.programArgs) ?? (v2 ? undefined : query("program-args"));
  if (!v2 && single) return tokenize(single);
  const list = query("programArg");
  return list ? list.split(",") : [];
}

/** Whitespace tokenisation with simple quote handling, as the removed `programArgs` field had. */
function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3] ?? "");
  return out;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function num(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && v !== "" ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
