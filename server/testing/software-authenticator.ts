// A software WebAuthn authenticator for Vitest: an ES256 key per credential, "none" attestation,
// discoverable credentials with user verification, and a signature counter, so tests can play
// both ceremonies against the real server code (the browser tests use Chromium's virtual one).
// Tests only; it implements just what Hearth asks authenticators for.
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { TAuthenticationResponse, TRegistrationResponse } from "../api/auth/factor-schemas";

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

/** The few CBOR types a COSE key and an attestation object need (RFC 8949, definite lengths). */
function cbor(value: Cbor): Buffer {
  const head = (major: number, n: number) => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 256) return Buffer.from([(major << 5) | 24, n]);
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(n, 1);
    return b;
  };
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();
const b64url = (data: Uint8Array | string) => Buffer.from(data).toString("base64url");

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

interface StoredCredential {
  id: Buffer;
  privateKey: KeyObject;
  rpId: string;
  userHandle: string;
  counter: number;
}

export function softwareAuthenticator(options: { origin: string }) {
  const credentials: StoredCredential[] = [];
  const origin = options.origin;

  function authData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  return {
    credentials,
    /** navigator.credentials.create, as @simplewebauthn/browser would return it. */
    create(request: PublicKeyCredentialCreationOptionsJSON): TRegistrationResponse {
      const rpId = request.rp.id ?? new URL(origin).hostname;
      const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const jwk = publicKey.export({ format: "jwk" });
      const coseKey = cbor(
        new Map<Cbor, Cbor>([
          [1, 2],
          [3, -7],
          [-1, 1],
          [-2, Buffer.from(jwk.x!, "base64url")],
          [-3, Buffer.from(jwk.y!, "base64url")],
        ]),
      );
      const id = Buffer.from(crypto.getRandomValues(new Uint8Array(16)));
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(id.length);
      const attested = Buffer.concat([Buffer.alloc(16), idLength, id, coseKey]);
      credentials.push({ id, privateKey, rpId, userHandle: request.user.id, counter: 0 });
      const clientDataJSON = JSON.stringify({ type: "webauthn.create", challenge: request.challenge, origin, crossOrigin: false });
      const attestationObject = cbor(
        new Map<Cbor, Cbor>([
          ["fmt", "none"],
          ["attStmt", new Map()],
          ["authData", authData(rpId, UP | UV | AT, 0, attested)],
        ]),
      );
      return {
        id: b64url(id),
        rawId: b64url(id),
        type: "public-key",
        clientExtensionResults: {},
        response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ["internal"] },
      };
    },
    /** navigator.credentials.get with the first (or the given) credential for the request's RP ID. */
    get(request: PublicKeyCredentialRequestOptionsJSON, pick?: { credential?: StoredCredential; counter?: number }): TAuthenticationResponse {
      const rpId = request.rpId ?? new URL(origin).hostname;
      const credential = pick?.credential ?? credentials.find((c) => c.rpId === rpId);
      if (!credential) throw new Error("No passkey for this site.");
      credential.counter = pick?.counter ?? credential.counter + 1;
      const clientDataJSON = JSON.stringify({ type: "webauthn.get", challenge: request.challenge, origin, crossOrigin: false });
      const data = authData(rpId, UP | UV, credential.counter);
      const signature = sign("sha256", Buffer.concat([data, sha256(clientDataJSON)]), credential.privateKey);
      return {
        id: b64url(credential.id),
        rawId: b64url(credential.id),
        type: "public-key",
        clientExtensionResults: {},
        response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(data), signature: b64url(signature), userHandle: credential.userHandle },
      };
    },
  };
}

export type SoftwareAuthenticator = ReturnType<typeof softwareAuthenticator>;
