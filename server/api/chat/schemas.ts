// Input schemas of the chat routers. Bytes travel as unpadded base64url and are checked for their
// exact length here; the server never parses what they contain. Messages are translation keys.
import { z } from "zod";
import { fromBase64Url } from "@/app/_shared/isomorphic/base64url";
import { LINK_LOOKUP_ID_BYTES } from "../../data/chat/device-links";
import { isPaddedEnvelopeLength, MAX_ENVELOPE_BYTES } from "../../data/chat/envelopes";

export const ZIdSchema = z.uuid({ error: "id_invalid" }).transform((id) => id.toLowerCase());

/**
 * The most device row ids a request about one person may name. A person has at most
 * MAX_ACTIVE_DEVICES (10) active devices; a client's stale list may still hold revoked ones.
 */
export const MAX_DEVICE_IDS_PER_PERSON = 50;

/** Device row ids, `max` at most and each once. */
export function zDeviceRowIds(max: number) {
  return z
    .array(ZIdSchema)
    .min(1, { error: "device_ids_empty" })
    .max(max, { error: "too_many_devices" })
    .refine((ids) => new Set(ids).size === ids.length, { error: "devices_not_unique" });
}

export const ZHandleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_]{1,30}$/, { error: "handle_invalid_characters" });

/**
 * Whom a request is about: `{ handle }` as a person types it, or `{ userId }` as a message arrives
 * with it; exactly one of the two. Other fields are added with `.and(z.object(…))`.
 */
export const ZPeerSchema = z.union(
  [z.object({ handle: ZHandleSchema, userId: z.never().optional() }), z.object({ userId: ZIdSchema, handle: z.never().optional() })],
  { error: "handle_or_user_id_required" },
);

/** Bytes as base64url, `min`..`max` long; non-canonical encodings are refused. */
export function zBytes(length: { min: number; max: number }) {
  return z
    .string()
    .max(Math.ceil((length.max * 4) / 3), { error: "bytes_too_long" })
    .regex(/^[A-Za-z0-9_-]*$/, { error: "bytes_invalid" })
    .transform((text, ctx) => {
      let bytes: Uint8Array<ArrayBuffer>;
      try {
        bytes = fromBase64Url(text);
      } catch {
        ctx.issues.push({ code: "custom", message: "bytes_invalid", input: text });
        return z.NEVER;
      }
      if (bytes.length < length.min || bytes.length > length.max) {
        ctx.issues.push({ code: "custom", message: "bytes_length_invalid", input: text });
        return z.NEVER;
      }
      return bytes;
    });
}

const exactly = (n: number) => zBytes({ min: n, max: n });

/** `0x06 ‖ Ed25519` and `0x05 ‖ X25519` public keys, `0x0a ‖ ML-KEM-768` encapsulation keys, Ed25519 signatures. */
export const ZIdentityKeySchema = exactly(33);
export const ZX25519KeySchema = exactly(33);
export const ZKyberKeySchema = exactly(1185);
export const ZSignatureSchema = exactly(64);
/** The crypto core's prekey ids are u32. */
export const ZKeyIdSchema = z.number().int().min(0).max(0xffff_ffff);

export const ZSignedPreKeySchema = z.object({ keyId: ZKeyIdSchema, publicKey: ZX25519KeySchema, signature: ZSignatureSchema });
export const ZKyberPreKeySchema = z.object({ keyId: ZKeyIdSchema, publicKey: ZKyberKeySchema, signature: ZSignatureSchema });
export const ZOneTimePreKeySchema = z.object({ keyId: ZKeyIdSchema, publicKey: ZX25519KeySchema });

/** Per upload; a device keeps at most MAX_STORED_ONE_TIME_PRE_KEYS of each kind. */
export const MAX_PRE_KEYS_PER_UPLOAD = 100;
const uniqueKeyIds = (keys: { keyId: number }[]) => new Set(keys.map((k) => k.keyId)).size === keys.length;
export const ZOneTimePreKeysSchema = z.array(ZOneTimePreKeySchema).max(MAX_PRE_KEYS_PER_UPLOAD).refine(uniqueKeyIds, { error: "key_ids_not_unique" });
export const ZKyberPreKeysSchema = z.array(ZKyberPreKeySchema).max(MAX_PRE_KEYS_PER_UPLOAD).refine(uniqueKeyIds, { error: "key_ids_not_unique" });

export const ZEnvelopePayloadSchema = zBytes({ min: 1, max: MAX_ENVELOPE_BYTES }).refine((bytes) => isPaddedEnvelopeLength(bytes.length), {
  error: "envelope_not_padded",
});

/** Message franking's 32-byte values: a commitment, a franking key, a tag. */
export const ZFranking32Schema = exactly(32);

/** The random id the existing device shows the new one to find a device-link slot. */
export const ZLinkLookupIdSchema = zBytes({ min: LINK_LOOKUP_ID_BYTES, max: LINK_LOOKUP_ID_BYTES });
