/**
 * The one-byte type prefixes of encoded public keys (PQXDH's EncodeEC / EncodeKEM): an X25519
 * key can never be mistaken for an Ed25519 or ML-KEM key, in a signature or in a KDF input.
 */
export const KEY_TYPE = {
  x25519: 0x05,
  ed25519: 0x06,
  mlKem768: 0x0a,
} as const;

/** Version byte of every serialized private key record. */
export const KEY_RECORD_VERSION = 1;
