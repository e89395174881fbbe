import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { beforeAll, describe, expect, it } from "vitest";
import { isAllZero } from "../bytes";
import { IdentityKey, IdentityKeyPair } from "../keys/identity-key";
import { X25519KeyPair, X25519PublicKey } from "../keys/x25519";
import type { RandomSource } from "../random";
import { loadCryptoCore, sodium } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import {
  createLinkCode,
  createLinkRequest,
  deriveLinkKeys,
  MAX_LINK_REQUEST_BYTES,
  MAX_LINK_RESPONSE_BYTES,
  MAX_LINK_SECRETS_BYTES,
  normalizeLinkCode,
  openLinkRequest,
  openLinkResponse,
  sealLinkResponse,
  type LinkEphemeral,
  type OpenedLinkRequest,
} from "./device-link";

beforeAll(loadCryptoCore);

const random = createDeterministicRandom("device-link");
const ROW_ID = "0190f5a2-0000-7000-8000-00000000002a";

function fixed(hex: string): RandomSource {
  return () => hexToBytes(hex);
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).name;
  }
  return undefined;
}

/** What the new device keeps while it waits. */
interface Pending {
  code: string;
  request: Uint8Array;
  ephemeral: LinkEphemeral;
  deviceIdentity: IdentityKeyPair;
}

function newDeviceRequest(code: string, name = "Firefox on Android"): Pending {
  const deviceIdentity = IdentityKeyPair.generate(random);
  const { request, ephemeral } = createLinkRequest({
    code,
    deviceIdentityKey: deviceIdentity.identityKey,
    deviceRowId: ROW_ID,
    deviceId: 4,
    deviceName: name,
    random,
  });
  return { code, request, ephemeral, deviceIdentity };
}

/** A copy of the ephemeral key, since a successful open wipes the one it is given. */
function copyOf(ephemeral: LinkEphemeral): LinkEphemeral {
  return { secretKey: ephemeral.secretKey.slice(), publicKey: ephemeral.publicKey.slice() };
}

/** The request as anyone can read it, MAC unchecked: what a relaying server knows. */
function readUnauthenticated(request: Uint8Array): OpenedLinkRequest {
  const nameLength = (request[54]! << 8) | request[55]!;
  const at = 56 + nameLength;
  return {
    deviceIdentityKey: IdentityKey.deserialize(request.subarray(1, 34)),
    deviceRowId: ROW_ID,
    deviceId: 4,
    deviceName: "",
    ephemeralPublicKey: X25519PublicKey.deserialize(request.subarray(at, at + 33)),
    requestHash: sha256(request),
  };
}

describe("link codes", () => {
  it("are 80 random bits in Crockford base32, shown in four groups", () => {
    expect(createLinkCode(fixed("00443214c74254b635cf"))).toEqual({ code: "0123456789ABCDEF", display: "0123-4567-89AB-CDEF" });
    expect(createLinkCode(fixed("84653a56d7c675be77df")).code).toBe("GHJKMNPQRSTVWXYZ");
    expect(createLinkCode(fixed("ffffffffffffffffffff")).code).toBe("ZZZZZZZZZZZZZZZZ");
    const codes = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const { code, display } = createLinkCode(random);
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
      expect(display).toBe(`${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}-${code.slice(12)}`);
      expect(normalizeLinkCode(display)).toBe(code);
      codes.add(code);
    }
    expect(codes.size).toBe(50);
  });

  it("are read back from lowercase, spaces, dashes and Crockford's look-alikes", () => {
    for (const typed of [
      "0123456789ABCDEF",
      "0123-4567-89AB-CDEF",
      "0123 4567 89ab cdef",
      " o123-4567–89ab—cdef ",
      "O1234567 89abcdef",
      "0123\t4567\n89AB CDEF",
    ]) {
      expect(normalizeLinkCode(typed), typed).toBe("0123456789ABCDEF");
    }
    expect(normalizeLinkCode("iIlL-0000-0000-0000")).toBe("1111000000000000");
    expect(normalizeLinkCode("ghjk mnpq rstv wxyz")).toBe("GHJKMNPQRSTVWXYZ");
  });

  it("refuse other characters and lengths", () => {
    for (const typed of [
      "",
      "0123-4567-89AB-CDE",
      "0123-4567-89AB-CDEF0",
      "0123-4567-89AB-CDEU",
      "0123.4567.89AB.CDEF",
      "0123-4567-89AB-CDE*",
      "0123-4567-89AB-CDEı",
      "０123456789ABCDEF",
    ]) {
      expect(
        codeOf(() => normalizeLinkCode(typed)),
        typed,
      ).toBe("InvalidLinkCode");
    }
  });

  it("derive the lookup id and MAC key with HKDF-SHA-256 under distinct labels", () => {
    const bits = hexToBytes("00443214c74254b635cf");
    const keys = deriveLinkKeys("0123-4567-89ab-cdef");
    expect(keys.lookupId).toEqual(hkdf(sha256, bits, undefined, utf8ToBytes("Hearth_DeviceLink_Lookup_v1"), 16));
    expect(keys.macKey).toEqual(hkdf(sha256, bits, undefined, utf8ToBytes("Hearth_DeviceLink_Mac_v1"), 32));
    expect(deriveLinkKeys("0123456789ABCDEF")).toEqual(keys);
    expect(deriveLinkKeys("0123456789ABCDEG").lookupId).not.toEqual(keys.lookupId);
    expect(codeOf(() => deriveLinkKeys("nope"))).toBe("InvalidLinkCode");
  });
});

describe("device linking", () => {
  let code: string;
  beforeAll(() => {
    code = createLinkCode(random).code;
  });

  it("hands the secrets to the new device", () => {
    const pending = newDeviceRequest(createLinkCode(random).display);
    expect(pending.request.length).toBeLessThanOrEqual(MAX_LINK_REQUEST_BYTES);
    const opened = openLinkRequest({ code: normalizeLinkCode(pending.code), request: pending.request });
    expect(opened.deviceIdentityKey.equals(pending.deviceIdentity.identityKey)).toBe(true);
    expect(opened.deviceRowId).toBe(ROW_ID);
    expect(opened.deviceId).toBe(4);
    expect(opened.deviceName).toBe("Firefox on Android");
    expect(opened.ephemeralPublicKey.bytes).toEqual(pending.ephemeral.publicKey);

    const secrets = utf8ToBytes("account key pair, signed device list, trusted contacts");
    const response = sealLinkResponse({ code: pending.code, request: opened, secrets, random });
    expect(response.length).toBe(34 + secrets.length + 16);
    const opening = { ...pending, response };
    expect(openLinkResponse(opening)).toEqual(secrets);
    expect(isAllZero(pending.ephemeral.secretKey)).toBe(true);
    expect(codeOf(() => openLinkResponse(opening))).toBe("InvalidLinkResponse");
  });

  it("has the documented request layout and MAC", () => {
    const pending = newDeviceRequest(code, "ab");
    const { request } = pending;
    expect(request.length).toBe(1 + 33 + 16 + 4 + 2 + 2 + 33 + 32);
    expect(request[0]).toBe(1);
    expect(request.subarray(1, 34)).toEqual(pending.deviceIdentity.identityKey.serialize());
    expect(request.subarray(34, 50)).toEqual(hexToBytes(ROW_ID.replaceAll("-", "")));
    expect(request.subarray(50, 54)).toEqual(Uint8Array.of(0, 0, 0, 4));
    expect(request.subarray(54, 58)).toEqual(Uint8Array.of(0, 2, 0x61, 0x62));
    expect(request.subarray(58, 91)).toEqual(concatBytes(Uint8Array.of(0x05), pending.ephemeral.publicKey));
    expect(request.subarray(91)).toEqual(hmac(sha256, deriveLinkKeys(code).macKey, request.subarray(0, 91)));
  });

  it("refuses a request made with another code", () => {
    const pending = newDeviceRequest(code);
    const other = createLinkCode(random).code;
    expect(codeOf(() => openLinkRequest({ code: other, request: pending.request }))).toBe("InvalidLinkRequest");
  });

  it("refuses a request whose ephemeral or identity key the server replaced", () => {
    const { request } = newDeviceRequest(code);
    const serverEphemeral = X25519KeyPair.generate(random).publicKey.bytes;
    const swappedEphemeral = request.slice();
    swappedEphemeral.set(serverEphemeral, request.length - 32 - 32);
    expect(codeOf(() => openLinkRequest({ code, request: swappedEphemeral }))).toBe("InvalidLinkRequest");
    const swappedIdentity = request.slice();
    swappedIdentity.set(IdentityKeyPair.generate(random).identityKey.serialize(), 1);
    expect(codeOf(() => openLinkRequest({ code, request: swappedIdentity }))).toBe("InvalidLinkRequest");
  });

  it("refuses any altered, missing or extra request byte", () => {
    const { request } = newDeviceRequest(code);
    for (let index = 0; index < request.length; index++) {
      const altered = request.slice();
      altered[index]! ^= 1;
      expect(
        codeOf(() => openLinkRequest({ code, request: altered })),
        `byte ${index}`,
      ).toBe("InvalidLinkRequest");
    }
    expect(codeOf(() => openLinkRequest({ code, request: request.subarray(0, request.length - 1) }))).toBe("InvalidLinkRequest");
    expect(codeOf(() => openLinkRequest({ code, request: concatBytes(request, Uint8Array.of(0)) }))).toBe("InvalidLinkRequest");
    expect(codeOf(() => openLinkRequest({ code, request: new Uint8Array(0) }))).toBe("InvalidLinkRequest");
    expect(codeOf(() => openLinkRequest({ code, request: new Uint8Array(MAX_LINK_REQUEST_BYTES + 1) }))).toBe("InvalidLinkRequest");
  });

  it("raises UnsupportedVersion only for an authenticated newer request", () => {
    const { request } = newDeviceRequest(code);
    const body = request.slice(0, request.length - 32);
    body[0] = 2;
    const newer = concatBytes(body, hmac(sha256, deriveLinkKeys(code).macKey, body));
    expect(codeOf(() => openLinkRequest({ code, request: newer }))).toBe("UnsupportedVersion");
  });

  it("refuses a response forged without the code, even sealed to the right ephemeral key", () => {
    const pending = newDeviceRequest(code);
    const known = readUnauthenticated(pending.request);
    const secrets = utf8ToBytes("the server's own account key");
    const guessed = sealLinkResponse({ code: createLinkCode(random).code, request: known, secrets, random });
    expect(codeOf(() => openLinkResponse({ ...pending, ephemeral: copyOf(pending.ephemeral), response: guessed }))).toBe("InvalidLinkResponse");
    // A libsodium sealed box to the ephemeral key, in the response's clothes.
    const boxed = concatBytes(Uint8Array.of(1, 0x05), sodium().crypto_box_seal(secrets, pending.ephemeral.publicKey));
    expect(codeOf(() => openLinkResponse({ ...pending, ephemeral: copyOf(pending.ephemeral), response: boxed }))).toBe("InvalidLinkResponse");
    // The right code opens it: the MAC key is what the server lacks.
    const genuine = sealLinkResponse({ code, request: known, secrets, random });
    expect(openLinkResponse({ ...pending, ephemeral: copyOf(pending.ephemeral), response: genuine })).toEqual(secrets);
  });

  it("binds the response to the exact request and ephemeral key", () => {
    const first = newDeviceRequest(code);
    const second = newDeviceRequest(code);
    const response = sealLinkResponse({ code, request: openLinkRequest({ code, request: first.request }), secrets: utf8ToBytes("s"), random });
    // Another request, even with the first one's ephemeral key.
    expect(codeOf(() => openLinkResponse({ ...first, request: second.request, ephemeral: copyOf(first.ephemeral), response }))).toBe("InvalidLinkResponse");
    // Another ephemeral key.
    expect(codeOf(() => openLinkResponse({ ...first, ephemeral: copyOf(second.ephemeral), response }))).toBe("InvalidLinkResponse");
    expect(isAllZero(first.ephemeral.secretKey)).toBe(false);
    expect(openLinkResponse({ ...first, response })).toEqual(utf8ToBytes("s"));
  });

  it("refuses any altered, missing or extra response byte", () => {
    const pending = newDeviceRequest(code);
    const response = sealLinkResponse({ code, request: openLinkRequest({ code, request: pending.request }), secrets: new Uint8Array(200).fill(7), random });
    const open = (bytes: Uint8Array, request = pending.request) =>
      codeOf(() => openLinkResponse({ ...pending, request, ephemeral: copyOf(pending.ephemeral), response: bytes }));
    for (let index = 0; index < response.length; index++) {
      const altered = response.slice();
      altered[index]! ^= 1;
      expect(open(altered), `byte ${index}`).toBe("InvalidLinkResponse");
    }
    for (const index of [0, 40, pending.request.length - 1]) {
      const alteredRequest = pending.request.slice();
      alteredRequest[index]! ^= 1;
      expect(open(response, alteredRequest)).toBe("InvalidLinkResponse");
    }
    expect(open(response.subarray(0, response.length - 1))).toBe("InvalidLinkResponse");
    expect(open(concatBytes(response, Uint8Array.of(0)))).toBe("InvalidLinkResponse");
    expect(open(new Uint8Array(0))).toBe("InvalidLinkResponse");
    const newer = response.slice();
    newer[0] = 2;
    expect(open(newer)).toBe("UnsupportedVersion");
    const lowOrder = response.slice();
    lowOrder.fill(0, 2, 34);
    expect(open(lowOrder)).toBe("InvalidLinkResponse");
  });

  it("fits the relay's limits and refuses bad input at creation", () => {
    const pending = newDeviceRequest(code, "é".repeat(32));
    expect(pending.request.length).toBe(185);
    const opened = openLinkRequest({ code, request: pending.request });
    expect(opened.deviceName).toBe("é".repeat(32));
    const largest = new Uint8Array(MAX_LINK_SECRETS_BYTES).fill(1);
    const response = sealLinkResponse({ code, request: opened, secrets: largest, random });
    expect(response.length).toBe(MAX_LINK_RESPONSE_BYTES);
    expect(openLinkResponse({ ...pending, response })).toEqual(largest);
    expect(codeOf(() => sealLinkResponse({ code, request: opened, secrets: new Uint8Array(MAX_LINK_SECRETS_BYTES + 1), random }))).toBe("RangeError");

    const identity = IdentityKeyPair.generate(random).identityKey;
    const base = { code, deviceIdentityKey: identity, deviceRowId: ROW_ID, deviceId: 4, deviceName: "Phone", random };
    expect(codeOf(() => createLinkRequest({ ...base, deviceName: "x".repeat(65) }))).toBe("RangeError");
    expect(codeOf(() => createLinkRequest({ ...base, deviceName: "bad\u0000name" }))).toBe("RangeError");
    expect(codeOf(() => createLinkRequest({ ...base, deviceRowId: "42" }))).toBe("RangeError");
    expect(codeOf(() => createLinkRequest({ ...base, deviceId: 2 ** 32 }))).toBe("RangeError");
    expect(codeOf(() => createLinkRequest({ ...base, code: "0123-4567" }))).toBe("InvalidLinkCode");
  });

  it("refuses a request with a control character in its name or a low-order ephemeral key, even with a valid MAC", () => {
    const { macKey } = deriveLinkKeys(code);
    const mac = (body: Uint8Array) => concatBytes(body, hmac(sha256, macKey, body));
    const { request } = newDeviceRequest(code, "ab");
    const badName = request.slice(0, request.length - 32);
    badName[57] = 0x07;
    expect(codeOf(() => openLinkRequest({ code, request: mac(badName) }))).toBe("InvalidLinkRequest");
    const lowOrder = request.slice(0, request.length - 32);
    lowOrder.fill(0, 59, 91);
    const opened = openLinkRequest({ code, request: mac(lowOrder) });
    expect(codeOf(() => sealLinkResponse({ code, request: opened, secrets: utf8ToBytes("s"), random }))).toBe("InvalidLinkRequest");
  });
});
