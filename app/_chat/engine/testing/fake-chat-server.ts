// Engine tests: the few chat procedures the receiver and the outbox call, kept in memory the way the
// server keeps them (signed device lists, public prekeys handed out once, envelopes queued per
// device and deduplicated per message and device), and people whose devices have real chat
// storage (fake-indexeddb must be loaded by the test) with their prekeys in it.
import { TRPCClientError } from "@trpc/client";
import {
  generateKyberPreKeys,
  generatePreKeys,
  IdentityKeyPair,
  KyberPreKeyRecord,
  SignedPreKeyRecord,
  signDeviceList,
  systemRandom,
  type IdentityKey,
} from "../../crypto";
import { openChatStorage } from "../../storage";
import { toBase64Url } from "@/app/_shared/isomorphic/base64url";
import type { ChatApiClient, EngineContext } from "../engine-context";

interface ServedDevice {
  userId: string;
  deviceId: number;
  identityKey: IdentityKey;
  signedPreKey: SignedPreKeyRecord;
  lastResort: KyberPreKeyRecord;
  preKeys: ReturnType<typeof generatePreKeys>;
  kyberPreKeys: KyberPreKeyRecord[];
}

type StreamHandlers = { onData(event: { id: string; data: { payload: string } }): void };

export interface TestChatDevice {
  rowId: string;
  deviceId: number;
  identityKeyPair: IdentityKeyPair;
  ctx: EngineContext;
}

export interface TestChatPerson {
  userId: string;
  accountKeyPair: IdentityKeyPair;
  devices: TestChatDevice[];
}

let nextEnvelope = 0;

export class FakeChatServer {
  private readonly lists = new Map<string, string>();
  private readonly listVersions = new Map<string, number>();
  private readonly served = new Map<string, ServedDevice>();
  private readonly queues = new Map<string, { id: string; payload: string; dedup: string }[]>();
  private readonly streams = new Map<string, StreamHandlers>();
  /** Identity keys to hand out instead of a device's own (a server lying about one device). */
  readonly forgedBundleKeys = new Map<string, IdentityKey>();
  /** Every accepted send: the message id and the device row ids it carried copies for. */
  readonly sends: { clientMessageId: string; deviceIds: string[] }[] = [];

  /** A person with chat devices numbered `devices`, each with storage and prekeys on the server, and a signed list. */
  async createPerson(options: { devices: number[] }): Promise<TestChatPerson> {
    const person: TestChatPerson = { userId: crypto.randomUUID(), accountKeyPair: IdentityKeyPair.generate(systemRandom), devices: [] };
    for (const deviceId of options.devices) await this.addDevice(person, deviceId);
    return person;
  }

  /** Sets up one more device for `person` and publishes their new list. */
  async addDevice(person: TestChatPerson, deviceId: number): Promise<TestChatDevice> {
    const random = systemRandom;
    const now = Date.now();
    const rowId = crypto.randomUUID();
    const identityKeyPair = IdentityKeyPair.generate(random);
    // One database per device: the storage is named after what it is given as the user id.
    const storage = await openChatStorage({ userId: `${person.userId}.${deviceId}`, storageSecret: random(32), identityKeyPair });
    const signedPreKey = SignedPreKeyRecord.generate({ id: 1, identityKeyPair, now, random });
    const lastResort = KyberPreKeyRecord.generate({ id: 1, kind: "lastResort", identityKeyPair, now, random });
    const preKeys = generatePreKeys({ firstId: 1, count: 5, random });
    const kyberPreKeys = generateKyberPreKeys({ firstId: 100, count: 5, identityKeyPair, now, random });
    await storage.protocol.signedPreKeys.saveSignedPreKey(signedPreKey);
    await storage.protocol.kyberPreKeys.saveKyberPreKey(lastResort);
    for (const record of preKeys) await storage.protocol.preKeys.savePreKey(record);
    for (const record of kyberPreKeys) await storage.protocol.kyberPreKeys.saveKyberPreKey(record);
    this.served.set(rowId, { userId: person.userId, deviceId, identityKey: identityKeyPair.identityKey, signedPreKey, lastResort, preKeys, kyberPreKeys });
    this.queues.set(rowId, []);
    const ctx: EngineContext = {
      client: this.client(),
      me: { userId: person.userId, handle: "someone" },
      storage,
      random,
      now: () => Date.now(),
      accountKeyPair: person.accountKeyPair,
      device: { rowId, deviceId, name: `Device ${deviceId}` },
    };
    const device = { rowId, deviceId, identityKeyPair, ctx };
    person.devices.push(device);
    this.publishList(person);
    return device;
  }

  private publishList(person: TestChatPerson): void {
    const now = Date.now();
    const version = (this.listVersions.get(person.userId) ?? 0) + 1;
    this.listVersions.set(person.userId, version);
    const signed = signDeviceList({
      accountKeyPair: person.accountKeyPair,
      userId: person.userId,
      version,
      devices: person.devices.map((d) => ({ rowId: d.rowId, deviceId: d.deviceId, identityKey: d.identityKeyPair.identityKey, name: d.ctx.device.name, addedAt: now })),
      now,
    });
    this.lists.set(person.userId, toBase64Url(signed));
  }

  /** Queues an envelope for a device as the server would after anyone's send. */
  deliver(rowId: string, payload: Uint8Array, dedup = crypto.randomUUID()): void {
    const queue = this.queues.get(rowId);
    if (!queue) throw new Error("no such device");
    const envelope = { id: `env-${nextEnvelope++}`, payload: toBase64Url(payload), dedup };
    queue.push(envelope);
    this.streams.get(rowId)?.onData({ id: envelope.id, data: { payload: envelope.payload } });
  }

  pending(rowId: string): number {
    return this.queues.get(rowId)?.length ?? 0;
  }

  private notFound(): never {
    // What the tRPC client throws for the server's NOT_FOUND (the outbox reads `data.code`).
    throw new TRPCClientError("not found", { result: { error: { message: "not found", code: -32004, data: { code: "NOT_FOUND" } } } });
  }

  private client(): ChatApiClient {
    const api = {
      chat: {
        deviceList: {
          get: {
            query: async ({ userId }: { userId: string }) => {
              const signedList = this.lists.get(userId);
              return signedList ? { version: this.listVersions.get(userId)!, signedList, updatedAt: new Date() } : null;
            },
          },
        },
        bundles: {
          forUser: {
            mutate: async ({ userId, deviceIds }: { userId: string; deviceIds?: string[] }) => ({
              userId,
              devices: [...this.served.entries()]
                .filter(([rowId, d]) => d.userId === userId && (!deviceIds || deviceIds.includes(rowId)))
                .map(([rowId, d]) => {
                  const preKey = d.preKeys.shift()?.toPublic();
                  const kyber = (d.kyberPreKeys.shift() ?? d.lastResort).toPublic();
                  const signed = d.signedPreKey.toPublic();
                  return {
                    id: rowId,
                    deviceId: d.deviceId,
                    identityKey: toBase64Url((this.forgedBundleKeys.get(rowId) ?? d.identityKey).serialize()),
                    signedPreKey: { keyId: signed.id, publicKey: toBase64Url(signed.publicKey.serialize()), signature: toBase64Url(signed.signature) },
                    kyberPreKey: { keyId: kyber.id, publicKey: toBase64Url(kyber.publicKey.serialize()), signature: toBase64Url(kyber.signature), lastResort: kyber.id === 1 },
                    oneTimePreKey: preKey ? { keyId: preKey.id, publicKey: toBase64Url(preKey.publicKey.serialize()) } : null,
                  };
                }),
            }),
          },
        },
        envelopes: {
          send: {
            mutate: async ({ clientMessageId, envelopes }: { clientMessageId: string; envelopes: { deviceId: string; payload: string }[] }) => {
              if (envelopes.some((e) => !this.queues.has(e.deviceId))) this.notFound();
              this.sends.push({ clientMessageId, deviceIds: envelopes.map((e) => e.deviceId) });
              for (const e of envelopes) {
                const queue = this.queues.get(e.deviceId)!;
                const dedup = `${clientMessageId}/${e.deviceId}`;
                if (queue.some((q) => q.dedup === dedup)) continue;
                const envelope = { id: `env-${nextEnvelope++}`, payload: e.payload, dedup };
                queue.push(envelope);
                this.streams.get(e.deviceId)?.onData({ id: envelope.id, data: { payload: envelope.payload } });
              }
              return { envelopes: [] };
            },
          },
          ack: {
            mutate: async ({ ids }: { ids: string[] }) => {
              for (const [rowId, queue] of this.queues) this.queues.set(rowId, queue.filter((e) => !ids.includes(e.id)));
            },
          },
          stream: {
            subscribe: ({ deviceId }: { deviceId: string }, handlers: StreamHandlers) => {
              this.streams.set(deviceId, handlers);
              for (const e of this.queues.get(deviceId) ?? []) handlers.onData({ id: e.id, data: { payload: e.payload } });
              return { unsubscribe: () => this.streams.delete(deviceId) };
            },
          },
        },
      },
    };
    // Only the procedures above exist; a test calling any other fails loudly on the missing property.
    return api as unknown as ChatApiClient;
  }
}

/** Waits until `done()` holds, failing after `ms`. */
export async function until(done: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
