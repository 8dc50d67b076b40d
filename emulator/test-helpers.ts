/** Small HTTP helpers shared by the emulator's tests. */
export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : safeParse(text), headers: res.headers };
}

export async function postJson(url: string, body: unknown, method = "POST"): Promise<{ status: number; body: any; headers: Headers }> {
  return getJson(url, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), redirect: "manual" });
}

export async function uploadJar(clusterUrl: string, name = "job.jar"): Promise<string> {
  const form = new FormData();
  form.append("jarfile", new File([new Uint8Array([0x50, 0x4b, 3, 4])], name, { type: "application/x-java-archive" }));
  const res = await getJson(`${clusterUrl}/jars/upload`, { method: "POST", body: form });
  if (res.status !== 200) throw new Error(`upload failed: ${JSON.stringify(res.body)}`);
  return String(res.body.filename).split("/").pop()!;
}

export async function runJar(clusterUrl: string, jarId: string, body: Record<string, unknown>): Promise<{ status: number; body: any }> {
  return postJson(`${clusterUrl}/jars/${jarId}/run`, body);
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const hexId = (n: number): string => n.toString(16).padStart(32, "0");

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
