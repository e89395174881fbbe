/**
 * The Double Ratchet (Signal's specification, without header encryption):
 *
 *   KDF_RK(rk, dh)  = HKDF-SHA-256(salt = rk, IKM = dh, info "Hearth_DR_Root", 64) → (rk', ck)
 *   KDF_CK(ck)      = (mk = HMAC-SHA-256(ck, 0x01), ck' = HMAC-SHA-256(ck, 0x02))
 *   ENCRYPT(mk, pt) = XChaCha20-Poly1305(key = mk, random 24-byte nonce, AD ‖ header)
 *
 * mk is the AEAD key itself. Signal's specification runs HKDF on mk only because its ENCRYPT is
 * AES-256-CBC + HMAC-SHA-256, which needs an encryption key, a MAC key and an IV from one secret;
 * the specification allows any AEAD there. XChaCha20-Poly1305 takes one 32-byte key and a random
 * 192-bit nonce, and mk already is such a key: uniformly random (an HMAC-SHA-256 output), used for
 * exactly one message and wiped afterwards, and domain-separated from the next chain key by
 * KDF_CK's 0x01/0x02 constants. This rule is ratchet message version 2 (`ratchet-message.ts`);
 * version 1 messages, whose key was derived from mk, are refused.
 *
 * Invariants: every message key is used once and wiped; a decryption that fails (bad tag,
 * replay, too many skipped keys, bad header) leaves the state exactly as it was — the new chain
 * and skipped keys are computed aside and committed only after the tag verifies; skipped keys
 * are bounded per message (MAX_SKIP) and per session (MAX_SKIPPED_KEYS, oldest evicted), and
 * expire (SKIPPED_KEY_MAX_AGE_MS after they were skipped, or SKIPPED_KEY_MAX_STEPS DH ratchet
 * steps later): an expired key is never used, and is deleted by the next successful decryption.
 */
import { aeadDecrypt, aeadEncrypt, AEAD_NONCE_BYTES } from "../aead";
import { bytesEqual, wipe } from "../bytes";
import { CryptoError, isCryptoError } from "../errors";
import { kdfChainKey, kdfRootKey } from "../kdf";
import type { IdentityKey } from "../keys/identity-key";
import { x25519, X25519KeyPair, type X25519PublicKey } from "../keys/x25519";
import { drawNonce, type RandomSource } from "../random";
import { parseRatchetMessage, RATCHET_HEADER_BYTES, RATCHET_MESSAGE_OVERHEAD, writeRatchetHeader, type ParsedRatchetMessage } from "./ratchet-message";
import { MAX_PREVIOUS_CHAINS, MAX_SKIP, SessionState, SKIPPED_KEY_MAX_AGE_MS, SKIPPED_KEY_MAX_STEPS, type PendingPreKey } from "./session-state";

const MAX_COUNTER = 0xffff_ffff;

/**
 * Alice's session after PQXDH: DHs = new key pair, DHr = SPK_B, (RK, CKs) = KDF_RK(SK, DH(DHs, SPK_B)).
 */
export function initializeInitiatorSession(options: {
  sharedKey: Uint8Array;
  localIdentity: IdentityKey;
  remoteIdentity: IdentityKey;
  remoteSignedPreKey: X25519PublicKey;
  baseKey: X25519PublicKey;
  pendingPreKey: PendingPreKey;
  random: RandomSource;
}): SessionState {
  const sendingRatchetKey = X25519KeyPair.generate(options.random);
  const dh = sendingRatchetKey.agree(options.remoteSignedPreKey);
  const { rootKey, chainKey } = kdfRootKey(options.sharedKey, dh);
  wipe(dh);
  return new SessionState({
    localIdentity: options.localIdentity.serialize(),
    remoteIdentity: options.remoteIdentity.serialize(),
    isInitiator: true,
    baseKey: options.baseKey.bytes.slice(),
    rootKey,
    sendingRatchetKey,
    sendingChain: { key: chainKey, index: 0 },
    receivingRatchetKey: null,
    receivingChain: null,
    previousCounter: 0,
    pendingPreKey: options.pendingPreKey,
  });
}

/** Bob's session after PQXDH: DHs = SPK_B, RK = SK; his sending chain starts with Alice's first message. */
export function initializeResponderSession(options: {
  sharedKey: Uint8Array;
  localIdentity: IdentityKey;
  remoteIdentity: IdentityKey;
  signedPreKey: X25519KeyPair;
  baseKey: X25519PublicKey;
}): SessionState {
  return new SessionState({
    localIdentity: options.localIdentity.serialize(),
    remoteIdentity: options.remoteIdentity.serialize(),
    isInitiator: false,
    baseKey: options.baseKey.bytes.slice(),
    rootKey: options.sharedKey.slice(),
    sendingRatchetKey: X25519KeyPair.fromStored(options.signedPreKey.privateKey, options.signedPreKey.publicKey),
    sendingChain: null,
    receivingRatchetKey: null,
    receivingChain: null,
    previousCounter: 0,
    pendingPreKey: null,
  });
}

/**
 * Encrypts one message and advances the sending chain. `random` gives only the nonce (through
 * the nonce pool); encrypting never makes keys.
 * @throws {CryptoError} `NoSession` when this side cannot send yet (a responder before the
 *   first message) or the chain is exhausted.
 */
export function ratchetEncrypt(state: SessionState, plaintext: Uint8Array, random: RandomSource): Uint8Array {
  const chain = state.sendingChain;
  if (!chain) throw new CryptoError("NoSession", "no sending chain yet");
  if (chain.index >= MAX_COUNTER) throw new CryptoError("NoSession", "sending chain exhausted");
  const { messageKey, nextChainKey } = kdfChainKey(chain.key);
  const out = new Uint8Array(RATCHET_MESSAGE_OVERHEAD + plaintext.length);
  writeRatchetHeader(out, state.sendingRatchetKey.publicKey.bytes, state.previousCounter, chain.index);
  const nonce = drawNonce(random, AEAD_NONCE_BYTES);
  out.set(nonce, RATCHET_HEADER_BYTES);
  const associatedData = state.associatedDataWith(out.subarray(0, RATCHET_HEADER_BYTES));
  out.set(aeadEncrypt(messageKey, nonce, plaintext, associatedData), RATCHET_HEADER_BYTES + AEAD_NONCE_BYTES);
  wipe(chain.key, messageKey);
  chain.key = nextChainKey;
  chain.index += 1;
  return out;
}

/** `count` message keys of a chain from its current key, and the chain key after them. */
function runChain(chainKey: Uint8Array, count: number): { messageKeys: Uint8Array[]; nextChainKey: Uint8Array } {
  const messageKeys: Uint8Array[] = [];
  let key = chainKey;
  for (let i = 0; i < count; i++) {
    const step = kdfChainKey(key);
    if (key !== chainKey) wipe(key);
    messageKeys.push(step.messageKey);
    key = step.nextChainKey;
  }
  return { messageKeys, nextChainKey: key === chainKey ? chainKey.slice() : key };
}

/** Opens a message with its message key as the AEAD key; the caller wipes the key once used. */
function open(state: SessionState, message: ParsedRatchetMessage, messageKey: Uint8Array): Uint8Array {
  return aeadDecrypt(messageKey, message.nonce, message.ciphertext, state.associatedDataWith(message.header), "InvalidMessage");
}

/**
 * True while skipped keys of the receiving chain of `ratchetKey` may be kept: it is the current
 * chain or one of the last SKIPPED_KEY_MAX_STEPS finished ones (previousChains[i] is i + 1 steps old).
 */
function keepsSkippedKeys(state: SessionState, ratchetKey: Uint8Array): boolean {
  if (state.receivingRatchetKey && bytesEqual(ratchetKey, state.receivingRatchetKey)) return true;
  const chains = state.previousChains;
  for (let i = 0; i < SKIPPED_KEY_MAX_STEPS && i < chains.length; i++) if (bytesEqual(ratchetKey, chains[i]!.ratchetKey)) return true;
  return false;
}

/** The skipped key for this message, unless there is none or it has expired. */
function skippedKeyFor(state: SessionState, message: ParsedRatchetMessage, now: number): Uint8Array | undefined {
  const key = state.skipped.get(message.ratchetKey, message.counter, now, SKIPPED_KEY_MAX_AGE_MS);
  return key && keepsSkippedKeys(state, message.ratchetKey) ? key : undefined;
}

/**
 * Decrypts one message: from a skipped key, from the current receiving chain, or after a DH
 * ratchet step. On any failure the state is unchanged. `now` (milliseconds since the epoch)
 * dates the keys this message skips and expires older ones; a message whose skipped key has
 * expired fails as one already decrypted.
 * @throws {CryptoError} `InvalidMessage` (malformed, or fails authentication),
 *   `DuplicatedMessage` (already decrypted, or its skipped key expired: its key is gone),
 *   `TooManySkippedMessages`, `UnsupportedVersion`.
 */
export function ratchetDecrypt(state: SessionState, bytes: Uint8Array, random: RandomSource, now: number): Uint8Array {
  const message = parseRatchetMessage(bytes);
  const receivingKeyBefore = state.receivingRatchetKey;
  const plaintext = decryptAndCommit(state, message, random, now);
  if (state.skipped.size > 0) {
    // After a DH ratchet step a chain may have become too old; otherwise only age can expire keys.
    const stepped = state.receivingRatchetKey !== receivingKeyBefore;
    state.skipped.prune(now, SKIPPED_KEY_MAX_AGE_MS, stepped ? (ratchetKey) => keepsSkippedKeys(state, ratchetKey) : undefined);
  }
  return plaintext;
}

function decryptAndCommit(state: SessionState, message: ParsedRatchetMessage, random: RandomSource, now: number): Uint8Array {
  const { ratchetKey, counter } = message;

  if (state.receivingRatchetKey && state.receivingChain && bytesEqual(ratchetKey, state.receivingRatchetKey)) {
    const chain = state.receivingChain;
    if (counter < chain.index) return decryptSkipped(state, message, true, now);
    if (counter - chain.index > MAX_SKIP) throw new CryptoError("TooManySkippedMessages");
    const run = runChain(chain.key, counter - chain.index + 1);
    const messageKey = run.messageKeys.pop()!;
    let plaintext: Uint8Array;
    try {
      plaintext = open(state, message, messageKey);
    } catch (error) {
      wipe(...run.messageKeys, run.nextChainKey);
      throw error;
    } finally {
      wipe(messageKey);
    }
    run.messageKeys.forEach((key, i) => state.skipped.add(ratchetKey, chain.index + i, key, now));
    wipe(chain.key);
    chain.key = run.nextChainKey;
    chain.index = counter + 1;
    state.pendingPreKey = null;
    return plaintext;
  }

  if (skippedKeyFor(state, message, now)) return decryptSkipped(state, message, false, now);
  const previous = state.previousChains.find((chain) => bytesEqual(chain.ratchetKey, ratchetKey));
  if (previous) {
    throw counter < previous.length ? new CryptoError("DuplicatedMessage") : new CryptoError("InvalidMessage", "counter beyond the end of a finished chain");
  }
  return decryptWithRatchetStep(state, message, random, now);
}

function decryptSkipped(state: SessionState, message: ParsedRatchetMessage, currentChain: boolean, now: number): Uint8Array {
  const messageKey = skippedKeyFor(state, message, now);
  if (!messageKey) {
    throw currentChain ? new CryptoError("DuplicatedMessage") : new CryptoError("InvalidMessage", "unknown ratchet key");
  }
  const plaintext = open(state, message, messageKey);
  state.skipped.delete(message.ratchetKey, message.counter);
  state.pendingPreKey = null;
  return plaintext;
}

function decryptWithRatchetStep(state: SessionState, message: ParsedRatchetMessage, random: RandomSource, now: number): Uint8Array {
  const { ratchetKey, counter, previousCounter } = message;
  const oldChain = state.receivingChain;
  const oldRatchetKey = state.receivingRatchetKey;
  const oldSkipCount = oldChain ? Math.max(0, previousCounter - oldChain.index) : 0;
  if (oldSkipCount > MAX_SKIP || counter > MAX_SKIP) throw new CryptoError("TooManySkippedMessages");

  let dh: Uint8Array;
  try {
    dh = x25519(state.sendingRatchetKey.privateKey, ratchetKey);
  } catch (error) {
    if (isCryptoError(error, "InvalidKey")) throw new CryptoError("InvalidMessage", "low-order ratchet key");
    throw error;
  }
  const receiving = kdfRootKey(state.rootKey, dh);
  wipe(dh);
  const run = runChain(receiving.chainKey, counter + 1);
  wipe(receiving.chainKey);
  const messageKey = run.messageKeys.pop()!;
  let plaintext: Uint8Array;
  try {
    plaintext = open(state, message, messageKey);
  } catch (error) {
    wipe(receiving.rootKey, run.nextChainKey, ...run.messageKeys);
    throw error;
  } finally {
    wipe(messageKey);
  }

  if (oldChain && oldRatchetKey) {
    const old = runChain(oldChain.key, oldSkipCount);
    old.messageKeys.forEach((key, i) => state.skipped.add(oldRatchetKey, oldChain.index + i, key, now));
    wipe(old.nextChainKey, oldChain.key);
    state.previousChains.unshift({ ratchetKey: oldRatchetKey, length: Math.max(previousCounter, oldChain.index) });
    state.previousChains.length = Math.min(state.previousChains.length, MAX_PREVIOUS_CHAINS);
  }
  run.messageKeys.forEach((key, i) => state.skipped.add(ratchetKey, i, key, now));
  state.receivingRatchetKey = ratchetKey.slice();
  state.receivingChain = { key: run.nextChainKey, index: counter + 1 };

  const nextSending = X25519KeyPair.generate(random);
  const sendingDh = x25519(nextSending.privateKey, ratchetKey);
  const sending = kdfRootKey(receiving.rootKey, sendingDh);
  wipe(sendingDh, receiving.rootKey, state.rootKey, state.sendingRatchetKey.privateKey);
  if (state.sendingChain) wipe(state.sendingChain.key);
  state.previousCounter = state.sendingChain?.index ?? 0;
  state.sendingRatchetKey = nextSending;
  state.sendingChain = { key: sending.chainKey, index: 0 };
  state.rootKey = sending.rootKey;
  state.pendingPreKey = null;
  return plaintext;
}
