import { randomBytes } from "node:crypto";
import type { Clock } from "./clock.ts";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export type RandomBytes = (size: number) => Uint8Array;

/**
 * A ULID: 48 bits of milliseconds then 80 random bits, Crockford base32.
 * Lexicographic order follows creation time, so ids double as a stable
 * cursor key.
 */
export function ulid(clock: Clock, random: RandomBytes = randomBytes): string {
  let time = clock.now().getTime();
  let head = "";
  for (let i = 0; i < 10; i++) {
    head = CROCKFORD.charAt(time % 32) + head;
    time = Math.floor(time / 32);
  }
  const bytes = random(10);
  let tail = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      tail += CROCKFORD.charAt((buffer >> bits) & 31);
    }
    buffer &= (1 << bits) - 1;
  }
  return head + tail;
}

/** `run_01J…`, `tok_01J…`: a resource prefix and a ULID. */
export function newId(prefix: string, clock: Clock, random?: RandomBytes): string {
  return `${prefix}_${ulid(clock, random)}`;
}
