// This device's prekeys: the first set at registration, then top-ups when the server runs low
// and a new signed prekey every week. Private halves stay in the storage; the server gets the
// public halves only.
import { generateKyberPreKeys, generatePreKeys, KyberPreKeyRecord, SignedPreKeyRecord, type IdentityKeyPair, type RandomSource } from "../crypto";
import type { ChatStorage } from "../storage";
import { toBase64Url } from "@/app/_shared/isomorphic/base64url";
import type { EngineContext } from "./engine-context";
import { KV, type AccountRecord } from "./records";

/** One-time prekeys of each kind per upload; the server asks for more below 20. */
export const PRE_KEY_BATCH = 40;
export const LAST_RESORT_KYBER_ID = 1;
const FIRST_ONE_TIME_KYBER_ID = 1_000;

const signedPublic = (record: SignedPreKeyRecord) => {
  const pub = record.toPublic();
  return { keyId: pub.id, publicKey: toBase64Url(pub.publicKey.serialize()), signature: toBase64Url(pub.signature) };
};
const kyberPublic = (record: KyberPreKeyRecord) => {
  const pub = record.toPublic();
  return { keyId: pub.id, publicKey: toBase64Url(pub.publicKey.serialize()), signature: toBase64Url(pub.signature) };
};

async function oneTimeBatch(options: {
  storage: ChatStorage;
  identityKeyPair: IdentityKeyPair;
  random: RandomSource;
  now: number;
  firstPreKeyId: number;
  firstKyberId: number;
}) {
  const preKeys = generatePreKeys({ firstId: options.firstPreKeyId, count: PRE_KEY_BATCH, random: options.random });
  const kyberPreKeys = generateKyberPreKeys({
    firstId: options.firstKyberId,
    count: PRE_KEY_BATCH,
    identityKeyPair: options.identityKeyPair,
    now: options.now,
    random: options.random,
  });
  for (const record of preKeys) await options.storage.protocol.preKeys.savePreKey(record);
  for (const record of kyberPreKeys) await options.storage.protocol.kyberPreKeys.saveKyberPreKey(record);
  return {
    oneTimePreKeys: preKeys.map((record) => ({ keyId: record.id, publicKey: toBase64Url(record.toPublic().publicKey.serialize()) })),
    kyberPreKeys: kyberPreKeys.map(kyberPublic),
  };
}

/** Generates and stores a new device's keys; returns what `chat.devices.register` takes. */
export async function createDeviceKeys(options: { storage: ChatStorage; identityKeyPair: IdentityKeyPair; random: RandomSource; now: number }) {
  const { storage, identityKeyPair, random, now } = options;
  const signedPreKey = SignedPreKeyRecord.generate({ id: 1, identityKeyPair, now, random });
  await storage.protocol.signedPreKeys.saveSignedPreKey(signedPreKey);
  const lastResort = KyberPreKeyRecord.generate({ id: LAST_RESORT_KYBER_ID, kind: "lastResort", identityKeyPair, now, random });
  await storage.protocol.kyberPreKeys.saveKyberPreKey(lastResort);
  const batch = await oneTimeBatch({ ...options, firstPreKeyId: 1, firstKyberId: FIRST_ONE_TIME_KYBER_ID });
  return {
    upload: {
      identityKey: toBase64Url(identityKeyPair.identityKey.serialize()),
      signedPreKey: signedPublic(signedPreKey),
      lastResortKyberPreKey: kyberPublic(lastResort),
      ...batch,
    },
    ids: { nextPreKeyId: 1 + PRE_KEY_BATCH, nextKyberPreKeyId: FIRST_ONE_TIME_KYBER_ID + PRE_KEY_BATCH, signedPreKeyId: 1 },
  };
}

/** Tops up one-time prekeys and rotates the signed prekey when due. Run whenever the stream connects. */
export async function maintainPreKeys(ctx: EngineContext): Promise<void> {
  const counts = await ctx.client.chat.prekeys.count.query({ deviceRowId: ctx.device.rowId });
  const account = await ctx.storage.getValue<AccountRecord>(KV.account);
  if (!account) return;
  const identityKeyPair = await ctx.storage.protocol.identity.getIdentityKeyPair();
  const current = await ctx.storage.protocol.signedPreKeys.getSignedPreKey(account.signedPreKeyId);
  const rotate = !current || current.needsRotation(ctx.now());
  const topUp = counts.oneTimePreKeys < counts.replenishBelow || counts.kyberPreKeys < counts.replenishBelow;
  if (!rotate && !topUp) return;

  const next = { ...account };
  let signedPreKey: SignedPreKeyRecord | null = null;
  if (rotate) {
    next.signedPreKeyId = account.signedPreKeyId + 1;
    signedPreKey = SignedPreKeyRecord.generate({ id: next.signedPreKeyId, identityKeyPair, now: ctx.now(), random: ctx.random });
    // The previous one stays (messages in flight may name it); older ones go, so a stolen device
    // holds no private key for handshakes older than two rotations.
    await ctx.storage.protocol.signedPreKeys.saveSignedPreKey(signedPreKey);
    for (const id of await ctx.storage.protocol.signedPreKeys.listSignedPreKeyIds()) {
      if (id < account.signedPreKeyId) await ctx.storage.protocol.signedPreKeys.removeSignedPreKey(id);
    }
  }
  const batch = topUp
    ? await oneTimeBatch({
        storage: ctx.storage,
        identityKeyPair,
        random: ctx.random,
        now: ctx.now(),
        firstPreKeyId: account.nextPreKeyId,
        firstKyberId: account.nextKyberPreKeyId,
      })
    : { oneTimePreKeys: [], kyberPreKeys: [] };
  if (topUp) {
    next.nextPreKeyId += PRE_KEY_BATCH;
    next.nextKyberPreKeyId += PRE_KEY_BATCH;
  }
  await ctx.storage.setValue(KV.account, next);
  await ctx.client.chat.prekeys.publish.mutate({
    deviceRowId: ctx.device.rowId,
    signedPreKey: signedPreKey ? signedPublic(signedPreKey) : null,
    ...batch,
  });
}
