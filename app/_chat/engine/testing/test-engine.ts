// Engine tests: a ChatEngine on the FakeChatServer with an in-process environment (the chat storage
// named per test device, so several devices of one person live in one fake IndexedDB), and a
// backup worker that seals by tagging the bytes with the secret (Argon2id is the crypto core's to
// test; here the engine's use of the worker is what counts).
import { OFFLINE_PASSPHRASE_KDF_MINIMUM, systemRandom } from "../../crypto";
import type { BackupWorker } from "../backup-worker-client";
import type { BackupWorkerSecret } from "../backup.worker";
import { ChatEngine } from "../chat-engine";
import { ChatEngineError } from "../chat-engine-error";
import type { EngineEnvironment } from "../engine-environment";
import type { HeldSecrets } from "../../pwa/held-secret";
import type { MediaTools } from "../attachments/media-tools";
import type { ChatPerson, EngineStatus } from "../types";
import { until, type FakeChatServer } from "./fake-chat-server";
import { fakeMediaTools } from "./fake-media-tools";

export class FakeBackupWorker implements BackupWorker {
  readonly runs: { op: "seal" | "open"; secret: BackupWorkerSecret }[] = [];

  async run(op: "seal" | "open", bytes: Uint8Array, secret: BackupWorkerSecret): Promise<Uint8Array> {
    this.runs.push({ op, secret });
    const tag = new TextEncoder().encode(`${JSON.stringify(secret)}\n`);
    if (op === "seal") return new Uint8Array([...tag, ...bytes]);
    if (bytes.length < tag.length || tag.some((b, i) => bytes[i] !== b)) throw new ChatEngineError("chat_backup_wrong_key");
    return bytes.slice(tag.length);
  }

  terminate(): void {}
}

export interface TestEngine {
  engine: ChatEngine;
  person: ChatPerson;
  worker: FakeBackupWorker;
  /** Says the browser came back online. */
  goOnline(): void;
}

const running: ChatEngine[] = [];

export interface TestEngineOptions {
  delays?: Partial<EngineEnvironment["delays"]>;
  /** The engine's clock (the real one by default). */
  now?: () => number;
  /** Image and video decoding (fakeMediaTools() by default). */
  media?: MediaTools;
}

/** A FAKE of the service worker's memory (app/_chat/pwa/held-secret.ts), one for every device of the test file, as one browser's worker would be for its databases. */
const heldInFakeWorker = new Map<string, Uint8Array>();
export const fakeServiceWorkerSecrets: HeldSecrets = {
  hold: (database, secret) => void heldInFakeWorker.set(database, new Uint8Array(secret)),
  ask: async (database) => heldInFakeWorker.get(database) ?? null,
  forget: async (database) => void (database === undefined ? heldInFakeWorker.clear() : heldInFakeWorker.delete(database)),
};

/** The in-process environment of `person`'s device called `device` (its storage persists across engines of the same name). */
export function testEnvironment(
  server: FakeChatServer,
  person: ChatPerson,
  device: string,
  options: TestEngineOptions = {},
): { environment: EngineEnvironment; worker: FakeBackupWorker; goOnline(): void } {
  const worker = new FakeBackupWorker();
  const online = new Set<() => void>();
  const environment: EngineEnvironment = {
    now: options.now ?? (() => Date.now()),
    random: systemRandom,
    onOnline(listener) {
      online.add(listener);
      return () => online.delete(listener);
    },
    storageName: (userId) => `${userId}/${device}`,
    deviceName: async () => device,
    createBackupWorker: () => worker,
    backupTransport: server.backupTransport(person.userId),
    attachmentTransport: server.attachmentTransport(person.userId),
    media: options.media ?? fakeMediaTools(),
    // The real Argon2id at libsodium's minimum: the storage's own tests run the production limits' construction.
    offlinePassphraseKdf: OFFLINE_PASSPHRASE_KDF_MINIMUM,
    heldSecrets: fakeServiceWorkerSecrets,
    delays: { receiptMs: 20, backupMs: 50, linkPollMs: 20, attachmentRetryMs: 10, expiryCheckMs: 20, ...options.delays },
  };
  return { environment, worker, goOnline: () => [...online].forEach((listener) => listener()) };
}

/** An engine for `person` on a device called `device` (its storage persists across engines of the same name). */
export function startTestEngine(server: FakeChatServer, person: ChatPerson, device: string, options: TestEngineOptions = {}): TestEngine {
  const { environment, worker, goOnline } = testEnvironment(server, person, device, options);
  const engine = new ChatEngine({ client: server.client(person.userId), me: { userId: person.userId, handle: person.handle }, environment });
  engine.start();
  running.push(engine);
  return { engine, person, worker, goOnline };
}

/** Stops every engine started since the last call (for afterEach). */
export function stopTestEngines(): void {
  for (const engine of running.splice(0)) engine.stop();
}

/** Waits for the engine's status to be `kind`, and returns it. */
export async function statusOf<K extends EngineStatus["kind"]>(engine: ChatEngine, kind: K): Promise<Extract<EngineStatus, { kind: K }>> {
  await until(() => engine.getSnapshot().status.kind === kind);
  return engine.getSnapshot().status as Extract<EngineStatus, { kind: K }>;
}

/**
 * A person with a set-up device, ready: set up by itself when the account has no device and no
 * backup, else by starting a new identity.
 */
export async function readyTestEngine(server: FakeChatServer, person: ChatPerson, device: string, options?: TestEngineOptions): Promise<TestEngine> {
  const started = startTestEngine(server, person, device, options);
  await until(() => ["ready", "needs-setup"].includes(started.engine.getSnapshot().status.kind));
  if (started.engine.getSnapshot().status.kind === "needs-setup") await started.engine.setUpNewDevice();
  return started;
}

/** Links a new device called `device` to `existing`'s account with the code it shows, approving on `existing`. */
export async function linkTestEngine(server: FakeChatServer, existing: TestEngine, device: string, options?: TestEngineOptions): Promise<TestEngine> {
  const linked = startTestEngine(server, existing.person, device, options);
  await statusOf(linked.engine, "needs-setup");
  await existing.engine.startLinkOffer();
  const offer = existing.engine.getSnapshot().link;
  if (offer?.kind !== "showing-code") throw new Error(`no code shown: ${JSON.stringify(offer)}`);
  const linking = linked.engine.linkWithCode(offer.code);
  await until(() => existing.engine.getSnapshot().link?.kind === "confirm");
  await existing.engine.approveLink();
  await linking;
  return linked;
}
