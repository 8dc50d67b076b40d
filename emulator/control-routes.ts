import type { HttpBindings } from "@hono/node-server";
import { Hono, type Context } from "hono";
import type { EmulatorControl } from "./control.ts";
import type { Fault } from "./faults.ts";
import type { BehaviourRule } from "./job-script.ts";

export type ControlBindings = HttpBindings & { path: string; control: EmulatorControl };
type ControlEnv = { Bindings: ControlBindings };

/** HTTP face of EmulatorControl under `/_emulator` (route list in README.md). Errors: 400 `{"error": "..."}`. */
export function createControlApp(): Hono<ControlEnv> {
  const app = new Hono<ControlEnv>({ getPath: (req, o) => (o?.env as ControlBindings | undefined)?.path ?? new URL(req.url).pathname });
  const ok = (c: Context<ControlEnv>, body: unknown = { ok: true }) => c.json(body);
  const body = async <T>(c: Context<ControlEnv>): Promise<T> => ((await c.req.json().catch(() => ({}))) ?? {}) as T;

  app.get("/jobs", (c) => ok(c, { jobs: c.env.control.listJobs({ cluster: c.req.query("cluster") }) }));
  app.get("/jobs/:jobId", (c) => {
    const job = c.env.control.job(c.req.param("jobId"));
    return job ? ok(c, job) : c.json({ error: "unknown job" }, 404);
  });
  app.post("/jobs/:jobId/:action{finish|fail|restart|cancel}", async (c) => {
    const { message } = await body<{ message?: string }>(c);
    const id = c.req.param("jobId");
    const control = c.env.control;
    const action = c.req.param("action");
    if (action === "finish") control.finishJob(id);
    else if (action === "fail") control.failJob(id, message);
    else if (action === "restart") control.restartJob(id, message);
    else control.cancelJob(id);
    return ok(c, control.job(id));
  });

  app.get("/apps", (c) => ok(c, { apps: c.env.control.listApps() }));
  app.get("/apps/:appId", (c) => {
    const info = c.env.control.app(c.req.param("appId"));
    return info ? ok(c, info) : c.json({ error: "unknown application" }, 404);
  });
  app.post("/apps/:appId/proxy-not-found", async (c) => {
    const { enabled = true } = await body<{ enabled?: boolean }>(c);
    c.env.control.setProxyNotFound(c.req.param("appId"), enabled);
    return ok(c);
  });
  app.post("/apps/:appId/fail-attempt", (c) => {
    c.env.control.failAmAttempt(c.req.param("appId"));
    return ok(c, c.env.control.app(c.req.param("appId")));
  });
  app.post("/apps/forget", async (c) => ok(c, { forgotten: c.env.control.forgetApps(await body(c)) }));

  app.post("/rm/failover", (c) => ok(c, { active: c.env.control.failover() }));
  app.post("/rm/active", async (c) => {
    const { active = null } = await body<{ active?: "rm1" | "rm2" | null }>(c);
    if (active !== null && active !== "rm1" && active !== "rm2") return c.json({ error: "active must be rm1, rm2 or null" }, 400);
    c.env.control.setActiveRm(active);
    return ok(c, { active });
  });

  app.post("/history/lag", async (c) => {
    const { ms } = await body<{ ms?: number }>(c);
    if (typeof ms !== "number" || ms < 0) return c.json({ error: "ms must be a number >= 0" }, 400);
    c.env.control.setHistoryLag(ms);
    return ok(c);
  });

  app.get("/faults", (c) => ok(c, { faults: c.env.control.listFaults() }));
  app.put("/faults/:upstream", async (c) => {
    c.env.control.setFault(c.req.param("upstream"), await body<Fault>(c));
    return ok(c);
  });
  app.delete("/faults/:upstream", (c) => {
    c.env.control.clearFaults(c.req.param("upstream"));
    return ok(c);
  });
  app.delete("/faults", (c) => {
    c.env.control.clearFaults();
    return ok(c);
  });

  app.post("/rules", async (c) => {
    const rule = await body<BehaviourRule>(c);
    if (!rule.match || !rule.script) return c.json({ error: "a rule needs {match, script}" }, 400);
    c.env.control.addRule(rule);
    return ok(c);
  });
  app.delete("/rules", (c) => {
    c.env.control.clearRules();
    return ok(c);
  });

  app.post("/clusters", async (c) => {
    const { name, flinkVersion } = await body<{ name?: string; flinkVersion?: string }>(c);
    if (!name || !/^[A-Za-z0-9._-]+$/.test(name)) return c.json({ error: "name must match [A-Za-z0-9._-]+" }, 400);
    return ok(c, { url: c.env.control.addSessionCluster(name, flinkVersion) });
  });

  app.get("/counters", (c) =>
    c.req.query("by") === "kind" ? ok(c, { totals: c.env.control.counterTotals() }) : ok(c, { counters: c.env.control.counters() }),
  );
  app.delete("/counters", (c) => {
    c.env.control.resetCounters();
    return ok(c);
  });

  app.post("/clock/advance", async (c) => {
    const { ms } = await body<{ ms?: number }>(c);
    await c.env.control.advance(Number(ms ?? 0));
    return ok(c);
  });

  app.onError((error, c) => c.json({ error: error.message }, 400));
  app.notFound((c) => c.json({ error: `no control route ${c.req.method} ${c.env.path}` }, 404));
  return app;
}
