/**
 * Signed group changes: the account identity key of the member making a change (create, add,
 * remove, leave, rename, a new admin) signs the change document, so members accept only changes
 * that a member with that right made, whatever the server relays.
 *
 *   signature = Ed25519(account key, "Hearth_GroupChange_v1" ‖ 0x00 ‖ change)              64 bytes
 *
 * The change is opaque here (the engine's JSON document); the signature covers its exact bytes as
 * transmitted, so the verifier checks the bytes it received before parsing them. The document
 * itself must name the group and the revision it follows: the signature binds nothing else.
 */
import type { IdentityKey, IdentityKeyPair } from "../keys/identity-key";

export const GROUP_CHANGE_SIGNATURE_LABEL = "Hearth_GroupChange_v1";

/** Signs `change` with the account key pair of the member making it. */
export function signGroupChange(accountKeyPair: IdentityKeyPair, change: Uint8Array): Uint8Array {
  return accountKeyPair.sign(GROUP_CHANGE_SIGNATURE_LABEL, change);
}

/** True when `signature` is `accountKey`'s signature of exactly these `change` bytes. */
export function verifyGroupChange(accountKey: IdentityKey, change: Uint8Array, signature: Uint8Array): boolean {
  return accountKey.verify(signature, GROUP_CHANGE_SIGNATURE_LABEL, change);
}
