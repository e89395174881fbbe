/**
 * The standard libsodium.js build, loaded once. Functions of the crypto core are synchronous;
 * `loadCryptoCore()` must resolve before the first of them runs (the async store-driven API
 * awaits it itself).
 */
import libsodium from "libsodium-wrappers";
import { CryptoError } from "./errors";

export type Sodium = typeof libsodium;

let loaded: Promise<void> | undefined;
let ready = false;

/** Loads libsodium's WebAssembly. Idempotent; call it once at start-up. */
export function loadCryptoCore(): Promise<void> {
  loaded ??= libsodium.ready.then(() => {
    ready = true;
  });
  return loaded;
}

/**
 * The loaded libsodium API.
 * @throws {CryptoError} `NotReady` before `loadCryptoCore()` resolved.
 */
export function sodium(): Sodium {
  if (!ready) throw new CryptoError("NotReady", "call loadCryptoCore() first");
  return libsodium;
}
