/**
 * Hands back one shared copy of each value it has seen, up to `limit`
 * distinct values (past that, values pass through as they are). A database
 * row brings its own copy of every string: 12,000 watched runs held 12,000
 * copies of "RUNNING" and of their target's name, each an object for the
 * garbage collector to visit on every full collection.
 */
export function createInterner(limit = 1_000): (value: string) => string {
  const seen = new Map<string, string>();
  return (value) => {
    const known = seen.get(value);
    if (known !== undefined) return known;
    if (seen.size < limit) seen.set(value, value);
    return value;
  };
}
