/**
 * Randomness is passed into every function that needs it, so tests can fix it. A source returns
 * a fresh array the caller owns; the system source fills it with one `getRandomValues` call
 * (libsodium.js's own `randombytes_buf` calls it once per byte).
 */
export type RandomSource = (length: number) => Uint8Array;

/** `getRandomValues` refuses more than 65,536 bytes per call. */
const MAX_BYTES_PER_CALL = 65_536;

/** The platform's CSPRNG (WebCrypto `getRandomValues`, in browsers and in Node). */
export const systemRandom: RandomSource = (length) => {
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += MAX_BYTES_PER_CALL) {
    crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + MAX_BYTES_PER_CALL)));
  }
  return out;
};

const NONCE_POOL_BYTES = 4096;
interface NoncePool {
  bytes: Uint8Array;
  offset: number;
}
const noncePools = new WeakMap<RandomSource, NoncePool>();
/** The pool used last, to skip the WeakMap lookup on the usual path (one source, many messages). */
let lastSource: RandomSource | undefined;
let lastPool: NoncePool | undefined;

/**
 * A nonce of `length` bytes from `random`, drawn 4 KiB at a time and handed out in slices: one
 * `getRandomValues` call per ~170 messages instead of one per message (it costs ≈3 µs in Node
 * whatever the size). Only for values that are public the moment they are used (AEAD nonces):
 * key material always comes straight from the source, so a memory snapshot never holds future
 * keys. The pool belongs to the source, so a fixed test source still gives fixed nonces.
 */
export function drawNonce(random: RandomSource, length: number): Uint8Array {
  let pool = random === lastSource ? lastPool : noncePools.get(random);
  if (!pool || pool.offset + length > pool.bytes.length) {
    pool = { bytes: random(Math.max(NONCE_POOL_BYTES, length)), offset: 0 };
    noncePools.set(random, pool);
  }
  lastSource = random;
  lastPool = pool;
  const nonce = pool.bytes.slice(pool.offset, pool.offset + length);
  pool.bytes.fill(0, pool.offset, pool.offset + length);
  pool.offset += length;
  return nonce;
}
