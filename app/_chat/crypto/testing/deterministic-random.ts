/**
 * A reproducible RandomSource for tests and known-answer vectors (never for real keys):
 * SHA-256(seed ‖ counter u32) blocks, consumed in order.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import type { RandomSource } from "../random";

export function createDeterministicRandom(seed: string): RandomSource {
  const seedBytes = utf8ToBytes(seed);
  let counter = 0;
  let pool = new Uint8Array(0);
  return (length) => {
    const out = new Uint8Array(length);
    let offset = 0;
    while (offset < length) {
      if (pool.length === 0) {
        pool = sha256(concatBytes(seedBytes, new Uint8Array(new Uint32Array([counter++]).buffer)));
      }
      const used = Math.min(pool.length, length - offset);
      out.set(pool.subarray(0, used), offset);
      pool = pool.subarray(used);
      offset += used;
    }
    return out;
  };
}
