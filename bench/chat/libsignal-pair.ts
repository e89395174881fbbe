/**
 * Two libsignal devices with an established session (PQXDH then one reply each way), over in-memory
 * stores that keep serialized records and deserialize them on every load, as Hearth's stores do
 * with IndexedDB: the cost being compared is the message's, with the same storage model on both sides.
 */
import {
  IdentityChange,
  IdentityKeyPair,
  IdentityKeyStore,
  KEMKeyPair,
  KyberPreKeyRecord,
  KyberPreKeyStore,
  PreKeyBundle,
  PreKeyRecord,
  PreKeyStore,
  PrivateKey,
  ProtocolAddress,
  PublicKey,
  SessionRecord,
  SessionStore,
  SignedPreKeyRecord,
  SignedPreKeyStore,
  type Direction,
} from "@signalapp/libsignal-client";
import * as signal from "@signalapp/libsignal-client";

class Sessions extends SessionStore {
  private readonly records = new Map<string, Uint8Array<ArrayBuffer>>();
  async saveSession(name: ProtocolAddress, record: SessionRecord): Promise<void> {
    this.records.set(name.toString(), record.serialize());
  }
  async getSession(name: ProtocolAddress): Promise<SessionRecord | null> {
    const stored = this.records.get(name.toString());
    return stored ? SessionRecord.deserialize(stored) : null;
  }
  async getExistingSessions(addresses: ProtocolAddress[]): Promise<SessionRecord[]> {
    return Promise.all(addresses.map(async (a) => (await this.getSession(a))!));
  }
}

class Identities extends IdentityKeyStore {
  private readonly known = new Map<string, Uint8Array<ArrayBuffer>>();
  constructor(private readonly pair: IdentityKeyPair) {
    super();
  }
  async getIdentityKey(): Promise<PrivateKey> {
    return this.pair.privateKey;
  }
  async getLocalRegistrationId(): Promise<number> {
    return 1;
  }
  async saveIdentity(name: ProtocolAddress, key: PublicKey): Promise<IdentityChange> {
    const before = this.known.get(name.toString());
    this.known.set(name.toString(), key.serialize());
    return before && Buffer.compare(before, key.serialize()) !== 0 ? IdentityChange.ReplacedExisting : IdentityChange.NewOrUnchanged;
  }
  async isTrustedIdentity(name: ProtocolAddress, key: PublicKey, _direction: Direction): Promise<boolean> {
    const stored = this.known.get(name.toString());
    return !stored || Buffer.compare(stored, key.serialize()) === 0;
  }
  async getIdentity(name: ProtocolAddress): Promise<PublicKey | null> {
    const stored = this.known.get(name.toString());
    return stored ? PublicKey.deserialize(stored) : null;
  }
}

class PreKeys extends PreKeyStore {
  readonly records = new Map<number, Uint8Array<ArrayBuffer>>();
  async savePreKey(id: number, record: PreKeyRecord): Promise<void> {
    this.records.set(id, record.serialize());
  }
  async getPreKey(id: number): Promise<PreKeyRecord> {
    return PreKeyRecord.deserialize(this.records.get(id)!);
  }
  async removePreKey(id: number): Promise<void> {
    this.records.delete(id);
  }
}

class SignedPreKeys extends SignedPreKeyStore {
  readonly records = new Map<number, Uint8Array<ArrayBuffer>>();
  async saveSignedPreKey(id: number, record: SignedPreKeyRecord): Promise<void> {
    this.records.set(id, record.serialize());
  }
  async getSignedPreKey(id: number): Promise<SignedPreKeyRecord> {
    return SignedPreKeyRecord.deserialize(this.records.get(id)!);
  }
}

class KyberPreKeys extends KyberPreKeyStore {
  readonly records = new Map<number, Uint8Array<ArrayBuffer>>();
  async saveKyberPreKey(id: number, record: KyberPreKeyRecord): Promise<void> {
    this.records.set(id, record.serialize());
  }
  async getKyberPreKey(id: number): Promise<KyberPreKeyRecord> {
    return KyberPreKeyRecord.deserialize(this.records.get(id)!);
  }
  async markKyberPreKeyUsed(): Promise<void> {}
}

interface Device {
  address: ProtocolAddress;
  sessions: Sessions;
  identities: Identities;
  preKeys: PreKeys;
  signedPreKeys: SignedPreKeys;
  kyberPreKeys: KyberPreKeys;
  bundle: PreKeyBundle;
}

function device(name: string): Device {
  const identity = IdentityKeyPair.generate();
  const preKey = PrivateKey.generate();
  const signedPreKey = PrivateKey.generate();
  const signedSignature = identity.privateKey.sign(signedPreKey.getPublicKey().serialize());
  const kyber = KEMKeyPair.generate();
  const kyberSignature = identity.privateKey.sign(kyber.getPublicKey().serialize());
  const d: Device = {
    address: ProtocolAddress.new(name, 1),
    sessions: new Sessions(),
    identities: new Identities(identity),
    preKeys: new PreKeys(),
    signedPreKeys: new SignedPreKeys(),
    kyberPreKeys: new KyberPreKeys(),
    bundle: PreKeyBundle.new(
      1,
      1,
      7,
      preKey.getPublicKey(),
      1,
      signedPreKey.getPublicKey(),
      signedSignature,
      identity.publicKey,
      1,
      kyber.getPublicKey(),
      kyberSignature,
    ),
  };
  void d.preKeys.savePreKey(7, PreKeyRecord.new(7, preKey.getPublicKey(), preKey));
  void d.signedPreKeys.saveSignedPreKey(1, SignedPreKeyRecord.new(1, Date.now(), signedPreKey.getPublicKey(), signedPreKey, signedSignature));
  void d.kyberPreKeys.saveKyberPreKey(1, KyberPreKeyRecord.new(1, Date.now(), kyber, kyberSignature));
  return d;
}

export interface LibsignalPair {
  /** Alice encrypts to Bob and Bob decrypts: one 1:1 message, unsealed, as libsignal does it. */
  roundTrip(payload: Uint8Array<ArrayBuffer>): Promise<Uint8Array>;
}

export async function createLibsignalPair(): Promise<LibsignalPair> {
  const alice = device("alice");
  const bob = device("bob");
  await signal.processPreKeyBundle(bob.bundle, bob.address, alice.address, alice.sessions, alice.identities);
  const send = (from: Device, to: Device, payload: Uint8Array<ArrayBuffer>) =>
    signal.signalEncrypt(payload, to.address, from.address, from.sessions, from.identities);
  const first = await send(alice, bob, new Uint8Array(1));
  await signal.signalDecryptPreKey(
    signal.PreKeySignalMessage.deserialize(first.serialize()),
    alice.address,
    bob.address,
    bob.sessions,
    bob.identities,
    bob.preKeys,
    bob.signedPreKeys,
    bob.kyberPreKeys,
  );
  const reply = await send(bob, alice, new Uint8Array(1));
  await signal.signalDecrypt(signal.SignalMessage.deserialize(reply.serialize()), bob.address, alice.address, alice.sessions, alice.identities);
  return {
    async roundTrip(payload) {
      const message = await send(alice, bob, payload);
      return signal.signalDecrypt(signal.SignalMessage.deserialize(message.serialize()), alice.address, bob.address, bob.sessions, bob.identities);
    },
  };
}
