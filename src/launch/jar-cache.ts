/**
 * Which jar id a session cluster gave an artifact, keyed by (target name,
 * artifact sha256), so each artifact is uploaded once per cluster. The
 * database implementation lives in store/; entries can go stale (the cluster
 * restarted and lost its upload dir), so the session launcher forgets an id
 * the cluster no longer knows.
 */
export interface JarCache {
  get(target: string, sha256: string): Promise<string | undefined>;
  put(target: string, sha256: string, jarId: string): Promise<void>;
  forget(target: string, sha256: string): Promise<void>;
}

/** For tests and single-process use. */
export class InMemoryJarCache implements JarCache {
  readonly #entries = new Map<string, string>();

  get(target: string, sha256: string): Promise<string | undefined> {
    return Promise.resolve(this.#entries.get(key(target, sha256)));
  }

  put(target: string, sha256: string, jarId: string): Promise<void> {
    this.#entries.set(key(target, sha256), jarId);
    return Promise.resolve();
  }

  forget(target: string, sha256: string): Promise<void> {
    this.#entries.delete(key(target, sha256));
    return Promise.resolve();
  }
}

function key(target: string, sha256: string): string {
  return `${target}\u0000${sha256}`;
}
