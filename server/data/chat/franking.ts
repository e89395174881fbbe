// Message franking on the server (docs/e2ee-protocol.md, "Message franking"). At a send, the server
// knows the sending account (the call is authenticated) although nothing it stores names it: it
// binds each envelope's commitment C to sender, recipient and time with a MAC under a key kept
// outside the database, and seals that tag under a key derived from C and the recipient device, so
// the envelope row holds only bytes that nobody without C can open (not even with the MAC key,
// which would otherwise let a dump be searched for each message's sender). When the recipient
// reports the message, the tag is recomputed from what the report claims.
import "server-only";
import { createCipheriv, createHash, createHmac, timingSafeEqual } from "node:crypto";
import { FRANKING_SEAL_NONCE, frankedMessageBytes, frankingSealKeyInput, frankingTagInput } from "@/app/_shared/isomorphic/franking";
import { serverEnv } from "../../env";
import { loadKeptSecret } from "../../kept-secret";

let cachedKey: Uint8Array | undefined;

/** K_server: HEARTH_FRANKING_SECRET, or <HEARTH_DATA_DIR>/franking-secret (0600), made on first use. */
function frankingKey(): Uint8Array {
  cachedKey ??= loadKeptSecret({ configured: serverEnv().HEARTH_FRANKING_SECRET, fileName: "franking-secret" });
  return cachedKey;
}

export function frankingTag(fields: { commitment: Uint8Array; senderId: string; recipientId: string; deliveredAt: number }): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHmac("sha256", frankingKey()).update(frankingTagInput(fields)).digest());
}

/** The tag as the recipient device gets it: ChaCha20-Poly1305 under SHA-256(label ‖ C ‖ device row id), 48 bytes. */
export function sealFrankingTag(fields: { tag: Uint8Array; commitment: Uint8Array; deviceRowId: string }): Uint8Array<ArrayBuffer> {
  const key = createHash("sha256").update(frankingSealKeyInput(fields)).digest();
  const cipher = createCipheriv("chacha20-poly1305", key, FRANKING_SEAL_NONCE, { authTagLength: 16 });
  return new Uint8Array(Buffer.concat([cipher.update(fields.tag), cipher.final(), cipher.getAuthTag()]));
}

export type FrankingVerdict = "verified" | "commitment_mismatch" | "tag_mismatch";

/**
 * Whether `claimedSenderId` sent exactly this message to `reporterId` at `deliveredAt`: the
 * franking key opens the commitment over the revealed message, and the tag is the server's for
 * that commitment, sender, recipient and time. (A second report of the same tag is the caller's to find.)
 */
export function checkFranking(report: {
  message: { id: string; sentAt: number; body: string };
  frankingKey: Uint8Array;
  commitment: Uint8Array;
  tag: Uint8Array;
  claimedSenderId: string;
  reporterId: string;
  deliveredAt: number;
}): FrankingVerdict {
  const commitment = createHmac("sha256", report.frankingKey).update(frankedMessageBytes(report.message)).digest();
  if (!sameBytes(commitment, report.commitment)) return "commitment_mismatch";
  const tag = frankingTag({ commitment, senderId: report.claimedSenderId, recipientId: report.reporterId, deliveredAt: report.deliveredAt });
  return sameBytes(tag, report.tag) ? "verified" : "tag_mismatch";
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
