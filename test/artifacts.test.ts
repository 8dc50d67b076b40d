import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { artifactPath } from "../src/artifacts/artifact-store.ts";
import { openTestGateway, type TestGateway } from "./helpers/gateway.ts";
import { buildMultipart, buildZip, type FormPart } from "./helpers/zip.ts";

const MAX_BYTES = 64 * 1024;
let t: TestGateway;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "flinkgate-artifacts-"));
  t = await openTestGateway({ DATA_DIR: dataDir, ARTIFACT_MAX_SIZE: "64kb", BODY_LIMIT: "1kb" });
});
beforeEach(async () => {
  await t.database.reset();
  await rm(path.join(dataDir, "artifacts"), { recursive: true, force: true });
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

const jar = buildZip({ "META-INF/MANIFEST.MF": "Manifest-Version: 1.0\r\n", "com/acme/Orders.class": Buffer.from([0xca, 0xfe, 0xba, 0xbe]) });
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

function upload(parts: FormPart[], init: { token?: string; headers?: Record<string, string>; stream?: boolean } = {}) {
  const { body, contentType } = buildMultipart(parts);
  // A stream has no Content-Length, like a chunked upload: the limit must hold while reading.
  const payload = init.stream ? new Blob([body]).stream() : body;
  return t.request("/v1/artifacts", {
    method: "POST",
    body: payload,
    headers: { "content-type": contentType, ...init.headers },
    ...(init.token ? { token: init.token } : {}),
    ...(init.stream ? { duplex: "half" } : {}),
  } as RequestInit);
}

const uploadJar = (content: Buffer = jar, fileName = "orders.jar") => upload([{ name: "file", fileName, content }]);

async function tempFiles(): Promise<string[]> {
  return readdir(path.join(dataDir, "artifacts", "tmp")).catch(() => []);
}

async function expectFileProblem(response: Response, message: RegExp) {
  expect(response.status).toBe(400);
  const body = (await response.json()) as { errors: Array<{ field: string; message: string }> };
  expect(body.errors.map((e) => e.field)).toContain("body.file");
  expect(body.errors.find((e) => e.field === "body.file")?.message).toMatch(message);
  expect(await tempFiles()).toEqual([]);
}

describe("POST /v1/artifacts", () => {
  it("stores the jar under its SHA-256 and records it (201, Location)", async () => {
    const response = await uploadJar();
    expect(response.status).toBe(201);
    const artifact = await response.json();
    expect(artifact).toEqual({ id: expect.stringMatching(/^art_[0-9A-Z]{26}$/), sha256: sha256(jar), fileName: "orders.jar", sizeBytes: jar.length, createdAt: "2026-11-21T12:00:00.000Z" });
    expect(response.headers.get("location")).toBe(`/v1/artifacts/${artifact.id}`);
    expect(await readdir(path.join(dataDir, "artifacts"))).toEqual(expect.arrayContaining([`${sha256(jar)}.jar`]));
    expect(artifactPath(dataDir, sha256(jar))).toBe(path.join(dataDir, "artifacts", `${sha256(jar)}.jar`));
    expect(await tempFiles()).toEqual([]);
    expect(await (await t.request(`/v1/artifacts/${artifact.id}`)).json()).toEqual(artifact);
  });

  it("the same bytes again give back the existing artifact with 200", async () => {
    const first = await (await uploadJar()).json();
    const again = await uploadJar(jar, "renamed.jar");
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
    expect(await t.database.db.selectFrom("artifacts").selectAll().execute()).toHaveLength(1);
  });

  it("streams past the JSON body limit, and ignores Idempotency-Key (uploads are content-addressed)", async () => {
    const big = buildZip({ "data.bin": Buffer.alloc(MAX_BYTES - 1024, 7) });
    expect(big.length).toBeLessThanOrEqual(MAX_BYTES);
    const response = await upload([{ name: "file", fileName: "big.jar", content: big }], { stream: true, headers: { "idempotency-key": "up-1" } });
    expect(response.status).toBe(201);
    expect((await response.json()).sizeBytes).toBe(big.length);
    const retry = await upload([{ name: "file", fileName: "big.jar", content: big }], { headers: { "idempotency-key": "up-1" } });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
  });

  it("413 over ARTIFACT_MAX_SIZE, with nothing left on disk", async () => {
    const tooBig = buildZip({ "data.bin": Buffer.alloc(MAX_BYTES + 1, 7) });
    for (const stream of [true, false]) {
      const response = await upload([{ name: "file", fileName: "big.jar", content: tooBig }], { stream });
      expect(response.status, `stream: ${stream}`).toBe(413);
      const problem = await response.json();
      expect(problem).toMatchObject({ type: "urn:flinkgate:problem:payload-too-large", limitBytes: MAX_BYTES });
    }
    // A declared Content-Length over the limit is refused before the body is read.
    const { body, contentType } = buildMultipart([{ name: "file", fileName: "big.jar", content: tooBig }]);
    const declared = await t.request("/v1/artifacts", { method: "POST", body, headers: { "content-type": contentType, "content-length": String(body.length) } });
    expect(declared.status).toBe(413);
    expect(await tempFiles()).toEqual([]);
    expect(await readdir(path.join(dataDir, "artifacts")).catch(() => [])).toEqual(expect.not.arrayContaining([expect.stringMatching(/\.jar$/)]));
    expect(await t.database.db.selectFrom("artifacts").selectAll().execute()).toEqual([]);
  });

  it("400 naming body.file for a body without a jar in `file`", async () => {
    await expectFileProblem(await upload([{ name: "comment", content: "hello" }]), /is required/);
    await expectFileProblem(await upload([{ name: "file", content: "not a file part" }]), /must be a file part/);
    await expectFileProblem(await uploadJar(Buffer.alloc(0)), /is empty/);
    await expectFileProblem(await uploadJar(Buffer.from("#!/bin/sh\necho not a jar\n"), "evil.jar"), /is not a jar/);
    await expectFileProblem(await upload([
      { name: "file", fileName: "a.jar", content: jar },
      { name: "file", fileName: "b.jar", content: jar },
    ]), /exactly one file/);
    const unknown = await upload([{ name: "file", fileName: "a.jar", content: jar }, { name: "entryClass", content: "x" }]);
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors).toEqual([{ field: "body.entryClass", message: "is not a known field" }]);
    expect(await t.database.db.selectFrom("artifacts").selectAll().execute()).toEqual([]);
  });

  it("400 for a malformed multipart body; 415 for JSON", async () => {
    const truncated = await t.request("/v1/artifacts", {
      method: "POST",
      body: "------b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jar\"\r\n\r\nPK\x03\x04abc",
      headers: { "content-type": "multipart/form-data; boundary=----b" },
    });
    expect(truncated.status).toBe(400);
    expect((await truncated.json()).type).toBe("urn:flinkgate:problem:malformed-multipart");
    expect(await tempFiles()).toEqual([]);
    expect((await t.request("/v1/artifacts", { method: "POST", json: { file: "x" } })).status).toBe(415);
  });

  it("jobs:write uploads; jobs:read only reads", async () => {
    const token = async (scopes: string[]) => (await (await t.request("/v1/tokens", { method: "POST", json: { name: "x", scopes } })).json()).token;
    const reader = await token(["jobs:read"]);
    const refused = await upload([{ name: "file", fileName: "a.jar", content: jar }], { token: reader });
    expect(refused.status).toBe(403);
    expect((await refused.json()).missingScope).toBe("jobs:write");
    const created = await upload([{ name: "file", fileName: "a.jar", content: jar }], { token: await token(["jobs:write"]) });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    expect((await t.request(`/v1/artifacts/${id}`, { token: reader })).status).toBe(200);
    expect((await t.request(`/v1/artifacts/${id}/content`, { token: await token(["targets:read"]) })).status).toBe(403);
    expect((await t.request("/v1/artifacts", { token: null })).status).toBe(401);
  });
});

describe("GET /v1/artifacts", () => {
  it("downloads exactly the uploaded bytes as application/java-archive", async () => {
    const { id } = await (await uploadJar(jar, "orders ä.jar")).json();
    const response = await t.request(`/v1/artifacts/${id}/content`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/java-archive");
    expect(response.headers.get("content-length")).toBe(String(jar.length));
    expect(response.headers.get("etag")).toBe(`"${sha256(jar)}"`);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="orders _.jar"; filename*=UTF-8''orders%20%C3%A4.jar`);
    expect(Buffer.from(await response.arrayBuffer()).equals(jar)).toBe(true);
  });

  it("404 for an unknown artifact and its content", async () => {
    expect((await t.request("/v1/artifacts/art_nope")).status).toBe(404);
    expect((await t.request("/v1/artifacts/art_nope/content")).status).toBe(404);
  });

  it("walks every artifact, page by page, oldest first", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      ids.push((await (await uploadJar(buildZip({ [`f${i}.txt`]: `content ${i}` }))).json()).id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = await (await t.request(`/v1/artifacts${query}`)).json();
      seen.push(...page.items.map((a: { id: string }) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });
});
