// The VAPID key pair (RFC 8292) that tells push services the wake-ups come from this Hearth: from
// HEARTH_VAPID_PRIVATE_KEY, or else kept in the data directory like the server's other keys. Every
// instance must use the same pair: a browser's subscription is bound to the public key it was made with.
import "server-only";
import { createECDH } from "node:crypto";
import { loadKeptSecret } from "../../kept-secret";
import { serverEnv } from "../../env";

export interface VapidKeys {
  /** Uncompressed P-256 point, base64url: the browser's `applicationServerKey`. */
  publicKey: string;
  privateKey: string;
  subject: string;
}

let cached: VapidKeys | undefined;

export function vapidKeys(): VapidKeys {
  cached ??= loadVapidKeys();
  return cached;
}

function loadVapidKeys(): VapidKeys {
  const env = serverEnv();
  const configured = env.HEARTH_VAPID_PRIVATE_KEY ? new Uint8Array(Buffer.from(env.HEARTH_VAPID_PRIVATE_KEY, "base64url")) : undefined;
  // 32 random bytes are a valid P-256 scalar but for a chance of about 2^-32 (at or above the group order), where setPrivateKey throws.
  const privateKey = Buffer.from(loadKeptSecret({ configured, fileName: "vapid-private-key" }));
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(privateKey);
  const publicKey = ecdh.getPublicKey().toString("base64url");
  if (env.HEARTH_VAPID_PUBLIC_KEY && env.HEARTH_VAPID_PUBLIC_KEY !== publicKey) {
    throw new Error("HEARTH_VAPID_PUBLIC_KEY is not the public key of HEARTH_VAPID_PRIVATE_KEY.");
  }
  return { publicKey, privateKey: privateKey.toString("base64url"), subject: env.HEARTH_VAPID_SUBJECT ?? defaultSubject(env.HEARTH_PUBLIC_ORIGIN, env.HOST) };
}

function defaultSubject(publicOrigin: string | undefined, host: string): string {
  if (publicOrigin?.startsWith("https://")) return publicOrigin;
  return `mailto:push@${publicOrigin ? new URL(publicOrigin).hostname : host}`;
}
