// Engine tests: a fake of OUR chat API (server/api/chat/router.ts and the backup route), kept in
// memory and answering per signed-in account the way the server does where it matters to the
// engine: device numbers never reused, a device-list version must rise, public prekeys are handed
// out once, envelopes are queued per device and deduplicated per message and device, a revoked
// device's stream is FORBIDDEN and sends to it NOT_FOUND, link slots serve only their account,
// in order, a backup version must rise (envelope sizes are recorded, for tests to check the
// padding the server checks), and attachments are kept as the attachment route keeps them (parts counted whole at the offset
// they start at, a complete blob served only to the devices it was sent to, deleted once each of
// them said it has it, an uploader's blobs within a quota), with ways to break a transfer midway.
// Also people whose devices have real chat storage (fake-indexeddb must be loaded by the test)
// with their prekeys in it, for tests of single parts.
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
import { AttachmentTransportError, type AttachmentTransport } from "../attachments/attachment-transport";
import type { BackupTransport } from "../backup-transport";
import { toBase64Url } from "@/app/_shared/isomorphic/base64url";
import { ChatEngineError } from "../chat-engine-error";
import type { ChatApiClient, EngineContext } from "../engine-context";
import type { BackupKind, ChatPerson } from "../types";

type WireSigned = { keyId: number; publicKey: string; signature: string };
type WireOneTime = { keyId: number; publicKey: string };

interface ServedDevice {
  userId: string;
  deviceId: number;
  identityKey: string;
  revoked: boolean;
  createdAt: Date;
  signedPreKey: WireSigned;
  lastResort: WireSigned;
  preKeys: WireOneTime[];
  kyberPreKeys: WireSigned[];
}

interface DeviceUpload {
  identityKey: string;
  signedPreKey: WireSigned;
  lastResortKyberPreKey: WireSigned;
  oneTimePreKeys: WireOneTime[];
  kyberPreKeys: WireSigned[];
}

interface LinkSlot {
  userId: string;
  request: string | null;
  response: string | null;
  expiresAt: number;
}

interface QueuedEnvelope {
  id: string;
  payload: string;
  dedup: string;
  franking: string | null;
  createdAt: number;
}

/** What the server does with a send's franking commitment: the sealed tag for one recipient device (null: none). */
export type FrankingBinder = (fields: { commitment: string; senderId: string; recipientId: string; deviceRowId: string; deliveredAt: number }) => string | null;

type StreamHandlers = {
  onData(event: { id: string; data: { payload: string; franking: string | null; createdAt: Date } }): void;
  onError?(error: unknown): void;
  onConnectionStateChange?(state: { state: "pending" | "connecting" | "idle" }): void;
};

export interface TestChatDevice {
  rowId: string;
  deviceId: number;
  identityKeyPair: IdentityKeyPair;
  ctx: EngineContext;
}

export interface TestChatPerson {
  userId: string;
  handle: string;
  accountKeyPair: IdentityKeyPair;
  devices: TestChatDevice[];
}

/** An attachment on the fake server: ciphertext as uploaded so far, and who may fetch it. */
export interface FakeAttachment {
  id: string;
  uploaderId: string;
  /** Declared ciphertext size. */
  size: number;
  /** The bytes counted so far (`received` of them). */
  bytes: Uint8Array;
  received: number;
  recipients: ReadonlySet<string>;
  fetched: Set<string>;
  /** A disappearing message's file: the server deletes it this long after the upload began. */
  expiresInSeconds: number | null;
}

/** The envelope padding buckets (server/data/chat/envelopes.ts), plus the sealed envelope's 50 bytes around them. */
const ENVELOPE_BUCKETS = [256, 1024, 4096, 16 * 1024, 64 * 1024];
const ENVELOPE_OVERHEAD = 50;

/** Whether an envelope of this many bytes is one the server takes: padded to a bucket of at most 64 KiB. */
export function isPaddedEnvelope(length: number): boolean {
  return ENVELOPE_BUCKETS.includes(length - ENVELOPE_OVERHEAD);
}
const LINK_SLOT_LIFETIME_MS = 10 * 60 * 1000;
const MAX_ACTIVE_DEVICES = 10;
const REPLENISH_BELOW = 20;
let nextEnvelope = 0;

/** What the tRPC client throws for the server's `code` (the engine reads `data.code` and `data.appCode`). */
export function serverError(code: "NOT_FOUND" | "FORBIDDEN" | "CONFLICT" | "BAD_REQUEST", appCode: string | null = null): Error {
  return new TRPCClientError(code, { result: { error: { message: code, code: -32000, data: { code, appCode } } } });
}

/** What it throws when no answer came (offline): no data. */
export function networkError(): Error {
  return new TRPCClientError("fetch failed");
}

export class FakeChatServer {
  private readonly accounts = new Map<string, ChatPerson & { storageSecret: string }>();
  private readonly lists = new Map<string, { version: number; signedList: string }>();
  private readonly served = new Map<string, ServedDevice>();
  private readonly queues = new Map<string, QueuedEnvelope[]>();
  private readonly streams = new Map<string, StreamHandlers>();
  private readonly slots = new Map<string, LinkSlot>();
  private readonly backups = new Map<string, Map<BackupKind, { version: number; blob: Uint8Array }>>();
  private readonly interruptions = new Map<string, { times: number; error: () => Error }>();
  /** Identity keys to hand out instead of a device's own (a server lying about one device). */
  readonly forgedBundleKeys = new Map<string, IdentityKey>();
  /** Every accepted send: the message id and the device row ids it carried copies for. */
  readonly sends: { clientMessageId: string; deviceRowIds: string[]; expiresInSeconds: (number | null)[] }[] = [];
  /** The calls failed by `interrupt`, with when. */
  readonly interrupted: { procedure: string; at: number }[] = [];
  /** Every acknowledged envelope id, in order (repeats included). */
  readonly acks: string[] = [];
  /** Binds franking commitments at a send; a test sets it to the real server's functions. None: envelopes carry no tag. */
  frankingBinder: FrankingBinder | null = null;
  /** Every message report received, as sent. */
  readonly reports: unknown[] = [];
  /** Every envelope payload's length in bytes, as sent (see `isPaddedEnvelope`). */
  readonly envelopeSizes: number[] = [];

  private readonly blobs = new Map<string, FakeAttachment>();
  /** What the account's attachments not yet deleted may add up to (the server's 1 GiB by default). */
  attachmentQuotaBytes = 1024 * 1024 * 1024;
  /** The part size uploads are told: smaller than the server's 8 MiB, so a few MB take several parts. */
  maxPartBytes = 1024 * 1024;
  private uploadCuts: { storedFirst: boolean }[] = [];
  private downloadCuts: number[] = [];
  private uploadGate: Promise<void> | null = null;
  /** Every PATCH, HEAD and GET of the attachment route, in order. */
  readonly attachmentRequests: { op: "append" | "offset" | "download"; id: string; at: number; bytes?: number }[] = [];

  /** Who follows whom (the social module's answer to "directory.following"). */
  private readonly follows = new Map<string, Set<string>>();

  /** Blocks, as "blocker/blocked" (made by the social side or by `blocks.block`). */
  readonly blocks = new Set<string>();
  /** Every `directory.followed` question, in order (the ids asked). */
  readonly followQuestions: string[][] = [];

  follow(follower: ChatPerson, followed: ChatPerson): void {
    this.follows.set(follower.userId, (this.follows.get(follower.userId) ?? new Set()).add(followed.userId));
  }

  /** Everyone in `people` follows everyone else in it (so first messages between them are no requests). */
  followEachOther(...people: ChatPerson[]): void {
    for (const a of people) for (const b of people) if (a !== b) this.follow(a, b);
  }

  /** Whether either of the two blocked the other. */
  private blockedBetween(a: string, b: string): boolean {
    return this.blocks.has(`${a}/${b}`) || this.blocks.has(`${b}/${a}`);
  }

  /** An account that may use the chat, with no chat device yet. */
  createAccount(handle: string): ChatPerson {
    const person: ChatPerson = { userId: crypto.randomUUID(), handle, displayName: handle[0]!.toUpperCase() + handle.slice(1), avatarUrl: null };
    this.accounts.set(person.userId, { ...person, storageSecret: toBase64Url(systemRandom(32)) });
    return person;
  }

  /** The API as the signed-in `userId` sees it. Only the procedures below exist; any other fails loudly. */
  client(userId: string): ChatApiClient {
    return this.api(userId) as unknown as ChatApiClient;
  }

  /** The backup route as the signed-in `userId` sees it. */
  backupTransport(userId: string): BackupTransport {
    const stored = () => this.backups.get(userId) ?? this.backups.set(userId, new Map()).get(userId)!;
    return {
      download: async (kind) => stored().get(kind)?.blob ?? null,
      upload: async (kind, version, blob) => {
        // The route answers 409 for a version not above the stored one; the transport says failed.
        if (version <= (stored().get(kind)?.version ?? 0)) throw new ChatEngineError("chat_backup_failed");
        stored().set(kind, { version, blob });
      },
      remove: async (kind) => void stored().delete(kind),
    };
  }

  backupVersion(userId: string, kind: BackupKind): number | null {
    return this.backups.get(userId)?.get(kind)?.version ?? null;
  }

  /** The next `times` calls of `procedure` (e.g. "envelopes.send") fail with `error` (as if offline by default). */
  interrupt(procedure: string, times = 1, error: () => Error = networkError): void {
    this.interruptions.set(procedure, { times, error });
  }

  /** The attachments the server holds now (deleted ones are gone from here). */
  attachments(): FakeAttachment[] {
    return [...this.blobs.values()];
  }

  /**
   * The next PATCH drops its connection: before the part is stored, or (`storedFirst`) after it was
   * counted, so only the answer is lost.
   */
  cutNextUpload(options: { storedFirst: boolean }): void {
    this.uploadCuts.push(options);
  }

  /** The next GET's body breaks off after `afterBytes` bytes. */
  cutNextDownload(afterBytes: number): void {
    this.downloadCuts.push(afterBytes);
  }

  /** PATCHes wait (unless aborted) until the returned function is called. */
  holdUploads(): () => void {
    let release!: () => void;
    this.uploadGate = new Promise((resolve) => (release = resolve));
    return () => {
      this.uploadGate = null;
      release();
    };
  }

  /** Flips one byte in the middle of a stored blob (a server that changes what it keeps). */
  tamperAttachment(id: string): void {
    const blob = this.blobs.get(id)!;
    blob.bytes[Math.floor(blob.received / 2)]! ^= 0x01;
  }

  /** The attachment route (/api/chat/attachments/[id]) as the signed-in `userId` sees it. */
  attachmentTransport(userId: string): AttachmentTransport {
    const own = (id: string) => {
      const blob = this.blobs.get(id);
      if (!blob || blob.uploaderId !== userId) throw new AttachmentTransportError("gone");
      return blob;
    };
    const checkAborted = (signal?: AbortSignal) => {
      if (signal?.aborted) throw new AttachmentTransportError("aborted");
    };
    return {
      offset: async (id, signal) => {
        await Promise.resolve();
        checkAborted(signal);
        this.attachmentRequests.push({ op: "offset", id, at: own(id).received });
        return own(id).received;
      },
      append: async (id, offset, part, options = {}) => {
        const { signal } = options;
        this.attachmentRequests.push({ op: "append", id, at: offset, bytes: part.length });
        while (this.uploadGate) {
          checkAborted(signal);
          const gate = this.uploadGate;
          await Promise.race([gate, new Promise((resolve) => signal?.addEventListener("abort", resolve, { once: true }))]);
        }
        await Promise.resolve();
        checkAborted(signal);
        const cut = this.uploadCuts.shift();
        if (cut && !cut.storedFirst) throw new AttachmentTransportError("unavailable");
        const blob = own(id);
        if (offset !== blob.received) throw new AttachmentTransportError("offset-mismatch", blob.received);
        if (!part.length || part.length > this.maxPartBytes || offset + part.length > blob.size) throw new AttachmentTransportError("refused");
        blob.bytes.set(part, offset);
        blob.received += part.length;
        options.onProgress?.(part.length);
        if (cut) throw new AttachmentTransportError("unavailable");
        return blob.received;
      },
      download: async (id, deviceRowId, start, signal) => {
        await Promise.resolve();
        checkAborted(signal);
        this.attachmentRequests.push({ op: "download", id, at: start });
        const blob = this.blobs.get(id);
        const device = this.served.get(deviceRowId);
        const complete = blob && blob.received === blob.size;
        if (!blob || !complete || !blob.recipients.has(deviceRowId) || device?.userId !== userId || device.revoked || start >= blob.size) {
          throw new AttachmentTransportError("gone");
        }
        const cut = this.downloadCuts.shift();
        const end = cut === undefined ? blob.size : Math.min(blob.size, start + cut);
        // A copy: the blob may be deleted (or tampered with) while this body is read.
        const bytes = blob.bytes.slice(start, end);
        let at = 0;
        return new ReadableStream<Uint8Array>({
          pull(controller) {
            if (signal?.aborted) return controller.error(new DOMException("aborted", "AbortError"));
            if (at >= bytes.length) {
              // A body cut short breaks off the way a dropped fetch does.
              if (cut !== undefined) controller.error(new TypeError("network error"));
              else controller.close();
              return;
            }
            controller.enqueue(bytes.slice(at, at + 50_000));
            at += 50_000;
          },
        });
      },
    };
  }

  /** The account's devices as the server lists them (revoked ones included, marked). */
  devicesOf(userId: string): { rowId: string; deviceId: number; revoked: boolean; oneTimePreKeys: number }[] {
    return [...this.served.entries()]
      .filter(([, d]) => d.userId === userId)
      .map(([rowId, d]) => ({ rowId, deviceId: d.deviceId, revoked: d.revoked, oneTimePreKeys: d.preKeys.length }));
  }

  /** A person with chat devices numbered `devices`, each with storage and prekeys on the server, and a signed list. */
  /** Three people with one device each (device 1): two who write to each other, and a third who forges. */
  createThreePeople(): Promise<[TestChatPerson, TestChatPerson, TestChatPerson]> {
    const one = () => this.createPerson({ devices: [1] });
    return Promise.all([one(), one(), one()]);
  }

  async createPerson(options: { devices: number[] }): Promise<TestChatPerson> {
    const { userId, handle } = this.createAccount(`p${crypto.randomUUID().slice(0, 8)}`);
    const person: TestChatPerson = { userId, handle, accountKeyPair: IdentityKeyPair.generate(systemRandom), devices: [] };
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
    const signed = (pub: { id: number; publicKey: { serialize(): Uint8Array }; signature: Uint8Array }): WireSigned => ({
      keyId: pub.id,
      publicKey: toBase64Url(pub.publicKey.serialize()),
      signature: toBase64Url(pub.signature),
    });
    this.served.set(rowId, {
      userId: person.userId,
      deviceId,
      identityKey: toBase64Url(identityKeyPair.identityKey.serialize()),
      revoked: false,
      createdAt: new Date(now),
      signedPreKey: signed(signedPreKey.toPublic()),
      lastResort: signed(lastResort.toPublic()),
      preKeys: preKeys.map((r) => ({ keyId: r.id, publicKey: toBase64Url(r.toPublic().publicKey.serialize()) })),
      kyberPreKeys: kyberPreKeys.map((r) => signed(r.toPublic())),
    });
    this.queues.set(rowId, []);
    const ctx: EngineContext = {
      client: this.client(person.userId),
      me: { userId: person.userId, handle: person.handle },
      storage,
      random,
      now: () => Date.now(),
      accountKeyPair: person.accountKeyPair,
      device: { rowId, deviceId, name: `Device ${deviceId}` },
    };
    const device = { rowId, deviceId, identityKeyPair, ctx };
    person.devices.push(device);
    const version = (this.lists.get(person.userId)?.version ?? 0) + 1;
    const signedList = signDeviceList({
      accountKeyPair: person.accountKeyPair,
      userId: person.userId,
      version,
      devices: person.devices.map((d) => ({
        rowId: d.rowId,
        deviceId: d.deviceId,
        identityKey: d.identityKeyPair.identityKey,
        name: d.ctx.device.name,
        addedAt: now,
      })),
      now,
    });
    this.lists.set(person.userId, { version, signedList: toBase64Url(signedList) });
    return device;
  }

  /** Queues an envelope for a device as the server would after anyone's send; returns its id. */
  deliver(rowId: string, payload: Uint8Array | string, dedup = crypto.randomUUID(), franking: string | null = null, createdAt = Date.now()): string {
    const queue = this.queues.get(rowId);
    if (!queue) throw new Error("no such device");
    const envelope = { id: `env-${nextEnvelope++}`, payload: typeof payload === "string" ? payload : toBase64Url(payload), dedup, franking, createdAt };
    queue.push(envelope);
    this.streams.get(rowId)?.onData({ id: envelope.id, data: streamed(envelope) });
    return envelope.id;
  }

  /** Envelopes waiting for a device (not yet acknowledged). */
  pending(rowId: string): number {
    return this.queues.get(rowId)?.length ?? 0;
  }

  /** The envelopes waiting for a device, oldest first. */
  queued(rowId: string): { id: string; payload: string }[] {
    return (this.queues.get(rowId) ?? []).map(({ id, payload }) => ({ id, payload }));
  }

  private attachmentBytesOf(userId: string): number {
    return [...this.blobs.values()].filter((b) => b.uploaderId === userId).reduce((sum, b) => sum + b.size, 0);
  }

  private activeDevice(userId: string, rowId: string): ServedDevice | null {
    const device = this.served.get(rowId);
    return device && device.userId === userId && !device.revoked ? device : null;
  }

  private liveSlot(userId: string, lookupId: string): LinkSlot {
    const slot = this.slots.get(lookupId);
    if (!slot || slot.userId !== userId || slot.expiresAt <= Date.now()) throw serverError("NOT_FOUND");
    return slot;
  }

  private revoke(userId: string, rowId: string): void {
    const device = this.activeDevice(userId, rowId);
    if (!device) throw serverError("NOT_FOUND");
    device.revoked = true;
    device.preKeys = [];
    device.kyberPreKeys = [];
    this.queues.delete(rowId);
    // The open stream ends; reconnecting is refused.
    const stream = this.streams.get(rowId);
    this.streams.delete(rowId);
    if (stream) queueMicrotask(() => stream.onError?.(serverError("FORBIDDEN")));
  }

  /** People whose browser has no network: every call fails as unanswered and their streams break. */
  private readonly offline = new Set<string>();

  /** Cuts `userId`'s browser off the network (or brings it back): calls fail, open streams end, new ones fail. */
  setOffline(userId: string, offline: boolean): void {
    if (!offline) return void this.offline.delete(userId);
    this.offline.add(userId);
    for (const [rowId, stream] of this.streams) {
      if (this.served.get(rowId)?.userId !== userId) continue;
      this.streams.delete(rowId);
      queueMicrotask(() => stream.onError?.(networkError()));
    }
  }

  /** Runs a procedure, failing it first if the test interrupted it. */
  private call<T>(name: string, run: () => T): Promise<Awaited<T>> {
    const interruption = this.interruptions.get(name);
    if (interruption && interruption.times > 0) {
      interruption.times--;
      this.interrupted.push({ procedure: name, at: Date.now() });
      return Promise.reject(interruption.error());
    }
    return Promise.resolve().then(run) as Promise<Awaited<T>>;
  }

  private api(userId: string) {
    const call = <T>(name: string, run: () => T): Promise<Awaited<T>> => (this.offline.has(userId) ? Promise.reject(networkError()) : this.call(name, run));
    return {
      chat: {
        storage: { secret: { mutate: () => call("storage.secret", () => ({ secret: this.accounts.get(userId)!.storageSecret })) } },
        devices: {
          register: {
            mutate: (upload: DeviceUpload) =>
              call("devices.register", () => {
                const own = [...this.served.values()].filter((d) => d.userId === userId);
                if (own.filter((d) => !d.revoked).length >= MAX_ACTIVE_DEVICES) throw serverError("FORBIDDEN");
                const rowId = crypto.randomUUID();
                const deviceId = Math.max(0, ...own.map((d) => d.deviceId)) + 1;
                this.served.set(rowId, {
                  userId,
                  deviceId,
                  identityKey: upload.identityKey,
                  revoked: false,
                  createdAt: new Date(),
                  signedPreKey: upload.signedPreKey,
                  lastResort: upload.lastResortKyberPreKey,
                  preKeys: [...upload.oneTimePreKeys],
                  kyberPreKeys: [...upload.kyberPreKeys],
                });
                this.queues.set(rowId, []);
                return { rowId, deviceId };
              }),
          },
          list: {
            query: () =>
              call("devices.list", () =>
                [...this.served.entries()]
                  .filter(([, d]) => d.userId === userId && !d.revoked)
                  .sort(([, a], [, b]) => a.deviceId - b.deviceId)
                  .map(([rowId, d]) => ({ rowId, deviceId: d.deviceId, identityKey: d.identityKey, createdAt: d.createdAt })),
              ),
          },
          revoke: {
            mutate: ({ deviceRowId }: { deviceRowId: string }) => call("devices.revoke", () => (this.revoke(userId, deviceRowId), { ok: true as const })),
          },
        },
        prekeys: {
          count: {
            query: ({ deviceRowId }: { deviceRowId: string }) =>
              call("prekeys.count", () => {
                const device = this.activeDevice(userId, deviceRowId);
                if (!device) throw serverError("FORBIDDEN");
                return { oneTimePreKeys: device.preKeys.length, kyberPreKeys: device.kyberPreKeys.length, replenishBelow: REPLENISH_BELOW };
              }),
          },
          publish: {
            mutate: (input: { deviceRowId: string; signedPreKey: WireSigned | null; oneTimePreKeys: WireOneTime[]; kyberPreKeys: WireSigned[] }) =>
              call("prekeys.publish", () => {
                const device = this.activeDevice(userId, input.deviceRowId);
                if (!device) throw serverError("FORBIDDEN");
                if (input.signedPreKey) device.signedPreKey = input.signedPreKey;
                device.preKeys.push(...input.oneTimePreKeys);
                device.kyberPreKeys.push(...input.kyberPreKeys);
              }),
          },
        },
        bundles: {
          forUser: {
            mutate: ({ userId: peer, deviceRowIds }: { userId: string; deviceRowIds?: string[] }) =>
              call("bundles.forUser", () => ({
                userId: peer,
                devices: [...this.served.entries()]
                  .filter(([rowId, d]) => d.userId === peer && !d.revoked && (!deviceRowIds || deviceRowIds.includes(rowId)))
                  .map(([rowId, d]) => {
                    const kyber = d.kyberPreKeys.shift();
                    const forged = this.forgedBundleKeys.get(rowId);
                    return {
                      rowId,
                      deviceId: d.deviceId,
                      identityKey: forged ? toBase64Url(forged.serialize()) : d.identityKey,
                      signedPreKey: d.signedPreKey,
                      kyberPreKey: { ...(kyber ?? d.lastResort), lastResort: !kyber },
                      oneTimePreKey: d.preKeys.shift() ?? null,
                    };
                  }),
              })),
          },
        },
        deviceList: {
          get: {
            query: ({ userId: peer }: { userId: string }) =>
              call("deviceList.get", () => (this.lists.has(peer) ? { ...this.lists.get(peer)!, updatedAt: new Date() } : null)),
          },
          publish: {
            mutate: (input: { version: number; signedList: string }) =>
              call("deviceList.publish", () => {
                if (input.version <= (this.lists.get(userId)?.version ?? 0)) throw serverError("FORBIDDEN");
                this.lists.set(userId, input);
                return { version: input.version };
              }),
          },
        },
        envelopes: {
          send: {
            mutate: ({
              clientMessageId,
              envelopes: all,
              group,
            }: {
              clientMessageId: string;
              envelopes: { deviceRowId: string; payload: string; commitment?: string; expiresInSeconds?: number | null }[];
              group?: boolean;
            }) =>
              call("envelopes.send", () => {
                this.envelopeSizes.push(...all.map((e) => Math.floor((e.payload.length * 3) / 4)));
                if (all.some((e) => !this.served.get(e.deviceRowId) || this.served.get(e.deviceRowId)!.revoked)) throw serverError("NOT_FOUND");
                // As the server: a block either way refuses a 1:1 send, and leaves those devices out of a group's.
                const blocked = (e: { deviceRowId: string }) => this.blockedBetween(userId, this.served.get(e.deviceRowId)!.userId);
                if (!group && all.some(blocked)) throw serverError("FORBIDDEN", "BLOCKED");
                const envelopes = all.filter((e) => !blocked(e));
                this.sends.push({
                  clientMessageId,
                  deviceRowIds: envelopes.map((e) => e.deviceRowId),
                  expiresInSeconds: envelopes.map((e) => e.expiresInSeconds ?? null),
                });
                for (const e of envelopes) {
                  const dedup = `${clientMessageId}/${e.deviceRowId}`;
                  if (this.queues.get(e.deviceRowId)!.some((q) => q.dedup === dedup)) continue;
                  const deliveredAt = Date.now();
                  const recipientId = this.served.get(e.deviceRowId)!.userId;
                  const franking =
                    e.commitment && this.frankingBinder
                      ? this.frankingBinder({ commitment: e.commitment, senderId: userId, recipientId, deviceRowId: e.deviceRowId, deliveredAt })
                      : null;
                  this.deliver(e.deviceRowId, e.payload, dedup, franking, deliveredAt);
                }
                return { envelopes: [] };
              }),
          },
          ack: {
            mutate: ({ ids }: { ids: string[] }) =>
              call("envelopes.ack", () => {
                this.acks.push(...ids);
                for (const [rowId, queue] of this.queues) {
                  if (this.activeDevice(userId, rowId))
                    this.queues.set(
                      rowId,
                      queue.filter((e) => !ids.includes(e.id)),
                    );
                }
              }),
          },
          stream: {
            subscribe: ({ deviceRowId }: { deviceRowId: string }, handlers: StreamHandlers) => {
              if (this.offline.has(userId)) {
                queueMicrotask(() => handlers.onError?.(networkError()));
                return { unsubscribe: () => undefined };
              }
              if (!this.activeDevice(userId, deviceRowId)) {
                queueMicrotask(() => handlers.onError?.(serverError("FORBIDDEN")));
                return { unsubscribe: () => undefined };
              }
              this.streams.set(deviceRowId, handlers);
              handlers.onConnectionStateChange?.({ state: "pending" });
              for (const e of this.queues.get(deviceRowId) ?? []) handlers.onData({ id: e.id, data: streamed(e) });
              return { unsubscribe: () => this.streams.get(deviceRowId) === handlers && this.streams.delete(deviceRowId) };
            },
          },
        },
        attachments: {
          create: {
            mutate: ({ size, recipientDeviceRowIds, expiresInSeconds }: { size: number; recipientDeviceRowIds: string[]; expiresInSeconds?: number }) =>
              call("attachments.create", () => {
                if (size < 1 || !recipientDeviceRowIds.length || new Set(recipientDeviceRowIds).size !== recipientDeviceRowIds.length) {
                  throw serverError("BAD_REQUEST");
                }
                if (recipientDeviceRowIds.some((rowId) => !this.served.get(rowId) || this.served.get(rowId)!.revoked)) throw serverError("NOT_FOUND");
                if (this.attachmentBytesOf(userId) + size > this.attachmentQuotaBytes) throw serverError("FORBIDDEN", "QUOTA_EXCEEDED");
                const id = crypto.randomUUID();
                this.blobs.set(id, {
                  id,
                  uploaderId: userId,
                  size,
                  bytes: new Uint8Array(size),
                  received: 0,
                  recipients: new Set(recipientDeviceRowIds),
                  fetched: new Set(),
                  expiresInSeconds: expiresInSeconds ?? null,
                });
                return { id, maxPartBytes: this.maxPartBytes };
              }),
          },
          fetched: {
            mutate: ({ id, deviceRowId }: { id: string; deviceRowId: string }) =>
              call("attachments.fetched", () => {
                const blob = this.blobs.get(id);
                if (!blob || blob.received !== blob.size || !blob.recipients.has(deviceRowId) || !this.activeDevice(userId, deviceRowId)) {
                  throw serverError("NOT_FOUND");
                }
                blob.fetched.add(deviceRowId);
                // Gone once every recipient device still active has it.
                if ([...blob.recipients].every((rowId) => blob.fetched.has(rowId) || this.served.get(rowId)?.revoked)) this.blobs.delete(id);
                return { ok: true as const };
              }),
          },
          quota: {
            query: () => call("attachments.quota", () => ({ usedBytes: this.attachmentBytesOf(userId), limitBytes: this.attachmentQuotaBytes })),
          },
        },
        link: {
          open: {
            mutate: ({ lookupId }: { lookupId: string }) =>
              call("link.open", () => {
                if ((this.slots.get(lookupId)?.expiresAt ?? 0) > Date.now()) throw serverError("CONFLICT", "LINK_SLOT_TAKEN");
                const expiresAt = Date.now() + LINK_SLOT_LIFETIME_MS;
                this.slots.set(lookupId, { userId, request: null, response: null, expiresAt });
                return { expiresAt: new Date(expiresAt) };
              }),
          },
          request: {
            mutate: ({ lookupId, request }: { lookupId: string; request: string }) =>
              call("link.request", () => {
                const slot = this.liveSlot(userId, lookupId);
                if (slot.request) throw serverError("CONFLICT", "LINK_OUT_OF_ORDER");
                slot.request = request;
                return { ok: true as const };
              }),
          },
          respond: {
            mutate: ({ lookupId, response }: { lookupId: string; response: string }) =>
              call("link.respond", () => {
                const slot = this.liveSlot(userId, lookupId);
                if (!slot.request || slot.response) throw serverError("CONFLICT", "LINK_OUT_OF_ORDER");
                slot.response = response;
                return { ok: true as const };
              }),
          },
          get: {
            query: ({ lookupId }: { lookupId: string }) =>
              call("link.get", () => {
                const { request, response, expiresAt } = this.liveSlot(userId, lookupId);
                return { request, response, expiresAt: new Date(expiresAt) };
              }),
          },
          close: {
            mutate: ({ lookupId }: { lookupId: string }) =>
              call("link.close", () => {
                if (this.slots.get(lookupId)?.userId !== userId) throw serverError("NOT_FOUND");
                this.slots.delete(lookupId);
                return { ok: true as const };
              }),
          },
        },
        backup: {
          status: {
            query: () =>
              call("backup.status", () =>
                [...(this.backups.get(userId) ?? new Map<BackupKind, { version: number; blob: Uint8Array }>())].map(([kind, b]) => ({
                  kind,
                  version: b.version,
                  bytes: b.blob.length,
                  updatedAt: new Date(),
                })),
              ),
          },
        },
        reports: {
          create: {
            mutate: (report: unknown) =>
              call("reports.create", () => {
                this.reports.push(report);
                return { ok: true as const };
              }),
          },
        },
        blocks: {
          block: {
            mutate: ({ userId: target }: { userId: string }) =>
              call("blocks.block", () => {
                if (target === userId) throw serverError("FORBIDDEN", "FORBIDDEN");
                if (!this.accounts.has(target)) throw serverError("NOT_FOUND", "NOT_FOUND");
                this.blocks.add(`${userId}/${target}`);
                this.follows.get(userId)?.delete(target);
                this.follows.get(target)?.delete(userId);
                return { ok: true as const };
              }),
          },
        },
        directory: {
          byHandle: {
            query: ({ handle }: { handle: string }) =>
              call("directory.byHandle", () => {
                const found = [...this.accounts.values()].find((a) => a.handle === handle);
                if (!found) throw serverError("NOT_FOUND");
                return publicPerson(found);
              }),
          },
          byIds: {
            query: ({ userIds }: { userIds: string[] }) =>
              call("directory.byIds", () => userIds.flatMap((id) => (this.accounts.has(id) ? [publicPerson(this.accounts.get(id)!)] : []))),
          },
          followed: {
            query: ({ userIds }: { userIds: string[] }) =>
              call("directory.followed", () => {
                this.followQuestions.push(userIds);
                return { userIds: userIds.filter((id) => this.follows.get(userId)?.has(id)) };
              }),
          },
          following: {
            query: ({ limit }: { limit?: number }) =>
              call("directory.following", () => {
                // The real router's page limit (MAX_DIRECTORY_PAGE).
                if (limit !== undefined && limit > 50) throw serverError("BAD_REQUEST");
                return {
                  people: [...(this.follows.get(userId) ?? [])].map((id) => publicPerson(this.accounts.get(id)!)),
                  nextCursor: null,
                };
              }),
          },
        },
      },
    };
  }
}

function publicPerson({ userId, handle, displayName, avatarUrl }: ChatPerson): ChatPerson {
  return { userId, handle, displayName, avatarUrl };
}

/**
 * Waits until `done()` holds, failing after `ms`. The default leaves room for CI's 2 cores shared by
 * parallel test files, where a photo sent to four devices once took just over 5 s to arrive.
 */
export async function until(done: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function streamed(envelope: QueuedEnvelope): { payload: string; franking: string | null; createdAt: Date } {
  return { payload: envelope.payload, franking: envelope.franking, createdAt: new Date(envelope.createdAt) };
}
