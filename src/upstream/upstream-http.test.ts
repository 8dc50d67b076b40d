import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { FormData } from "undici";
import { UpstreamError } from "../domain/errors.ts";
import { expectJson, expectSuccess } from "./decode-response.ts";
import { lenientEnum } from "./lenient-enum.ts";
import type { UnknownValueReport } from "./lenient-enum.ts";
import { closedPortUrl, sendJson, sendText, startTestServer } from "./test-server.ts";
import type { TestServer } from "./test-server.ts";
import { UpstreamHttp } from "./upstream-http.ts";

const schema = z.object({ ok: z.boolean() });
let server: TestServer;
let http: UpstreamHttp;

beforeAll(async () => {
  server = await startTestServer();
  http = new UpstreamHttp({
    upstream: "flink",
    timeoutMs: 300,
    retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 5 },
  });
});
afterEach(() => {
  server.requests.length = 0;
});
afterAll(async () => {
  await http.close();
  await server.close();
});

async function failureOf(p: Promise<unknown>): Promise<UpstreamError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  return err as UpstreamError;
}

const get = (path = "/x") => http.call({ method: "GET", url: `${server.url}${path}` }, expectJson(schema));

describe("UpstreamHttp", () => {
  it("decodes JSON", async () => {
    server.handle = (_, res) => sendJson(res, 200, { ok: true, extra: 1 });
    await expect(get()).resolves.toEqual({ ok: true });
  });

  it("maps a refused connection and retries the read", async () => {
    const url = await closedPortUrl();
    const err = await failureOf(http.call({ method: "GET", url }, expectJson(schema)));
    expect(err.failure).toBe("refused");
    expect(err.isTransport).toBe(true);
  });

  it("maps a reset connection", async () => {
    server.handle = (_, res) => void res.socket?.destroy();
    const err = await failureOf(get());
    expect(err.failure).toBe("reset");
    expect(server.requests).toHaveLength(3); // 1 + 2 retries
  });

  it("maps a timeout, including a body that stalls", async () => {
    server.handle = (_, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"ok":'); // never finished
    };
    const err = await failureOf(get());
    expect(err.failure).toBe("timeout");
  });

  it("gives up when the caller aborts, with the caller's reason, not as an upstream failure", async () => {
    server.handle = () => {}; // never answers
    const controller = new AbortController();
    const pending = http.call({ method: "GET", url: `${server.url}/x`, signal: controller.signal }, expectJson(schema));
    setTimeout(() => controller.abort(new Error("shutting down")), 20);
    await expect(pending).rejects.toThrow("shutting down");
    expect(server.requests).toHaveLength(1);
    const already = http.call({ method: "GET", url: `${server.url}/x`, signal: controller.signal }, expectJson(schema));
    await expect(already).rejects.toThrow("shutting down");
    expect(server.requests).toHaveLength(1);
  });

  it("joins a body that arrives in pieces, a character split between them", async () => {
    const text = JSON.stringify({ ok: true, name: "Zürich ✓" });
    const bytes = Buffer.from(text);
    const cut = bytes.indexOf(Buffer.from("✓")) + 1;
    server.handle = (_, res) => {
      res.writeHead(200, { "content-type": "application/json", "x-extra": "1" });
      res.write(bytes.subarray(0, cut));
      setTimeout(() => res.end(bytes.subarray(cut)), 10);
    };
    const raw = await http.send({ method: "GET", url: `${server.url}/x?a=1` });
    expect(raw).toMatchObject({ status: 200, body: text, headers: { "x-extra": "1" } });
    expect(server.requests[0]?.url).toBe("/x?a=1");
  });

  it("retries a read on 5xx and succeeds when the upstream recovers", async () => {
    let n = 0;
    server.handle = (_, res) => (++n < 3 ? sendJson(res, 503, { errors: ["not ready"] }) : sendJson(res, 200, { ok: true }));
    await expect(get()).resolves.toEqual({ ok: true });
    expect(server.requests).toHaveLength(3);
  });

  it("never retries a write", async () => {
    server.handle = (_, res) => sendJson(res, 503, { errors: ["Service temporarily unavailable"] });
    const err = await failureOf(http.call({ method: "POST", url: `${server.url}/jars/x/run`, body: {} }, expectJson(schema)));
    expect(err.failure).toBe("server-error");
    expect(err.upstreamStatus).toBe(503);
    expect(err.upstreamMessage).toBe("Service temporarily unavailable");
    expect(server.requests).toHaveLength(1);
  });

  it("does not retry 4xx and keeps the message", async () => {
    server.handle = (_, res) => sendJson(res, 404, { errors: ["org.apache.flink.runtime.rest.NotFoundException: Job x not found\n\tat a.b(C.java:1)"] });
    const err = await failureOf(get());
    expect(err.failure).toBe("not-found");
    expect(err.upstreamMessage).toBe("Job x not found");
    expect(err.upstreamDetail).toContain("C.java:1");
    expect(err.isTransport).toBe(false);
    expect(server.requests).toHaveLength(1);

    server.handle = (_, res) => sendJson(res, 409, { errors: ["Job cancellation failed"] });
    expect((await failureOf(get())).failure).toBe("rejected");
  });

  it("calls an HTML page or a schema mismatch a bad response, without retrying", async () => {
    server.handle = (_, res) => sendText(res, 200, "<!DOCTYPE html><html><title>Login</title></html>", { "content-type": "text/html" });
    const html = await failureOf(get());
    expect(html.failure).toBe("bad-response");
    expect(html.message).toContain("HTML page: Login");
    server.handle = (_, res) => sendJson(res, 200, { ok: "yes" });
    const shape = await failureOf(get());
    expect(shape.failure).toBe("bad-response");
    expect(shape.message).toContain("ok");
    expect(server.requests).toHaveLength(2);
  });

  it("reports a redirect it does not follow", async () => {
    server.handle = (_, res) => sendText(res, 302, "", { location: "http://hs:8082/jobs/overview" });
    const err = await failureOf(get());
    expect(err.failure).toBe("redirected");
    expect(err.upstreamMessage).toBe("redirect to http://hs:8082/jobs/overview");
  });

  it("sends JSON and multipart bodies", async () => {
    server.handle = (_, res) => sendJson(res, 202, {});
    await http.call({ method: "PATCH", url: `${server.url}/a`, body: { x: 1 } }, expectSuccess());
    const form = new FormData();
    form.append("jarfile", new Blob([new Uint8Array([80, 75])]), "job.jar");
    await http.call({ method: "POST", url: `${server.url}/b`, body: form }, expectSuccess());
    const [json, multipart] = server.requests;
    expect(json?.headers["content-type"]).toBe("application/json");
    expect(json?.text).toBe('{"x":1}');
    expect(multipart?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(multipart?.text).toContain('filename="job.jar"');
  });

  it("keeps and reports unknown enum values", async () => {
    const reports: UnknownValueReport[] = [];
    const s = z.object({ state: lenientEnum("test.State", ["A", "B"] as const) });
    server.handle = (_, res) => sendJson(res, 200, { state: "NEW_STATE" });
    const url = `${server.url}/s`;
    const out = await http.call({ method: "GET", url }, expectJson(s, (r) => reports.push(r)));
    expect(out.state).toBe("NEW_STATE");
    expect(reports).toEqual([{ enumName: "test.State", value: "NEW_STATE", url }]);
  });
});
