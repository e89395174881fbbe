// Franking on the device: the commitment is HMAC-SHA-256 over the message's canonical bytes (a
// known answer), changes with every field it covers, and the sealed tag opens only with the
// commitment and device it was sealed for.
import { createCipheriv, createHash, createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { FRANKING_SEAL_NONCE, frankingSealKeyInput } from "@/app/_shared/isomorphic/franking";
import { isCryptoError } from "../errors";
import { loadCryptoCore } from "../sodium";
import { createFrankingKey, frankingCommitment, openFrankingTag } from "./franking";

beforeAll(loadCryptoCore);

const key = new Uint8Array(32).fill(0x2a);
const message = { id: "0193a8a0-0000-7000-8000-000000000001", sentAt: 1_790_000_000_000, body: "Grüße 👋" };
/** HMAC-SHA-256 of the canonical bytes above under 32 bytes of 0x2a, computed once with Node's crypto. */
const KNOWN_COMMITMENT = "7b96dfe8c734c3e3edeae73086281451a6402ae12142d7d16f96c86469a0a214";
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

function seal(tag: Uint8Array, commitment: Uint8Array, deviceRowId: string): Uint8Array {
  const sealKey = createHash("sha256").update(frankingSealKeyInput({ commitment, deviceRowId })).digest();
  const cipher = createCipheriv("chacha20-poly1305", sealKey, FRANKING_SEAL_NONCE, { authTagLength: 16 });
  return new Uint8Array(Buffer.concat([cipher.update(tag), cipher.final(), cipher.getAuthTag()]));
}

describe("franking", () => {
  it("commits with HMAC-SHA-256 over the labelled message (a known answer)", () => {
    const expected = createHmac("sha256", key)
      .update(JSON.stringify(["hearth-franking-message-v1", message.id, message.sentAt, message.body]))
      .digest();
    expect(hex(frankingCommitment(key, message))).toBe(expected.toString("hex"));
    expect(hex(frankingCommitment(key, message))).toBe(KNOWN_COMMITMENT);
  });

  it("gives another commitment for another text, id, time or key", () => {
    const c = hex(frankingCommitment(key, message));
    expect(hex(frankingCommitment(key, { ...message, body: "Grüße 👋." }))).not.toBe(c);
    expect(hex(frankingCommitment(key, { ...message, id: "0193a8a0-0000-7000-8000-000000000002" }))).not.toBe(c);
    expect(hex(frankingCommitment(key, { ...message, sentAt: message.sentAt + 1 }))).not.toBe(c);
    expect(hex(frankingCommitment(new Uint8Array(32).fill(1), message))).not.toBe(c);
    expect(() => frankingCommitment(new Uint8Array(31), message)).toThrow();
  });

  it("opens the server's sealed tag only with this message's commitment and this device", () => {
    const commitment = frankingCommitment(key, message);
    const tag = new Uint8Array(32).fill(9);
    const device = "0193a8a0-0000-7000-8000-0000000000d1";
    const sealed = seal(tag, commitment, device);
    expect(hex(openFrankingTag({ sealed, commitment, deviceRowId: device }))).toBe(hex(tag));
    const refusals = [
      { sealed, commitment: frankingCommitment(key, { ...message, body: "other" }), deviceRowId: device },
      { sealed, commitment, deviceRowId: "0193a8a0-0000-7000-8000-0000000000d2" },
      { sealed: sealed.map((b, i) => (i === 3 ? b ^ 1 : b)), commitment, deviceRowId: device },
      { sealed: sealed.subarray(0, 47), commitment, deviceRowId: device },
    ];
    for (const attempt of refusals) {
      let error: unknown;
      try {
        openFrankingTag(attempt);
      } catch (e) {
        error = e;
      }
      expect(isCryptoError(error, "InvalidFranking")).toBe(true);
    }
  });

  it("makes a fresh 32-byte key each time", () => {
    const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
    expect(createFrankingKey(random)).toHaveLength(32);
    expect(hex(createFrankingKey(random))).not.toBe(hex(createFrankingKey(random)));
  });
});
