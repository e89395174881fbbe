// Where local copies of files go besides the conversation: into the sealed backup (the newest, up
// to the person's limit; none by default), back out of it on a restored device, and into the
// message-history export. Through the ChatEngine façade against the fake chat API.
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { IdentityKeyPair, loadCryptoCore, systemRandom } from "../../crypto";
import { openChatStorage } from "../../storage";
import { readMessageHistory } from "../../export/message-history";
import { decodeJsonWithBytes, restoreBackupFiles, type BackupPayload } from "../backup-payload";
import type { ChatEngine } from "../chat-engine";
import { FakeChatServer, until } from "../testing/fake-chat-server";
import { fakePhoto } from "../testing/fake-media-tools";
import { readyTestEngine, stopTestEngines, type TestEngine } from "../testing/test-engine";
import { MAX_BACKUP_ATTACHMENT_BYTES } from "../types";
import { readLocalFile } from "./local-files";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

const bytesOf = (size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 7 + size) % 256);
const stateOf = (engine: ChatEngine, conversationId: string, body: string) => engine.messages(conversationId).messages.find((m) => m.body === body)?.state;

/** Alice sent Bob a photo and a 300 kB file, then a 200 kB file; every upload is done. */
async function aliceWithFiles(server: FakeChatServer): Promise<{ alice: TestEngine; bob: TestEngine }> {
  const [alice, bob] = await Promise.all([
    readyTestEngine(server, server.createAccount("alice"), "laptop"),
    readyTestEngine(server, server.createAccount("bob"), "desktop"),
  ]);
  // People who follow each other: their first messages are no message requests.
  server.followEachOther(alice.person, bob.person);
  const bobId = bob.person.userId;
  await alice.engine.openConversation("bob");
  await alice.engine.loadOlder(bobId);
  await alice.engine.sendFiles(bobId, [fakePhoto({ width: 1000, height: 800 }), new File([bytesOf(300_000)], "notes.bin")], "first");
  await until(() => stateOf(alice.engine, bobId, "first") === "delivered");
  await alice.engine.sendFiles(bobId, [new File([bytesOf(200_000)], "later.bin")], "second");
  await until(() => stateOf(alice.engine, bobId, "second") === "delivered");
  return { alice, bob };
}

async function latestBackup(server: FakeChatServer, alice: TestEngine, recoveryKey: string): Promise<BackupPayload> {
  const sealed = await server.backupTransport(alice.person.userId).download("recoveryKey");
  return decodeJsonWithBytes<BackupPayload>(await alice.worker.run("open", sealed!, { recoveryKey }));
}

describe("local copies of files", () => {
  it("go into backups only up to the person's limit, the newest first, and come back out on a restored device", async () => {
    const server = new FakeChatServer();
    const { alice } = await aliceWithFiles(server);
    const userId = alice.person.userId;
    expect(await alice.engine.backupAttachmentLimit()).toBe(0);
    await alice.engine.enableBackup();
    const recoveryKey = alice.engine.getSnapshot().backup.pendingRecoveryKey!;
    const first = await latestBackup(server, alice, recoveryKey);
    expect(first.files).toBeUndefined();
    // A device restored from it has no copy of any file, and no blob on the server is for it.
    const statuses = (payload: BackupPayload) => payload.messages.flatMap((m) => (m.attachments ?? []).map((a) => [a.name, a.status, a.error ?? null]));
    expect(statuses(first)).toEqual([
      ["IMG_0001.jpg", "download-failed", "chat_attachment_gone"],
      ["notes.bin", "download-failed", "chat_attachment_gone"],
      ["later.bin", "download-failed", "chat_attachment_gone"],
    ]);

    // 400 kB: the newest file (200 kB) and the photo fit, the 300 kB file does not.
    await alice.engine.setBackupAttachmentLimit(400_000);
    await until(() => server.backupVersion(userId, "recoveryKey") === 2);
    const second = await latestBackup(server, alice, recoveryKey);
    expect(statuses(second)).toEqual([
      ["IMG_0001.jpg", "downloaded", null],
      ["notes.bin", "download-failed", "chat_attachment_gone"],
      ["later.bin", "downloaded", null],
    ]);
    const carried = second.messages.flatMap((m) => m.attachments ?? []).filter((a) => a.status === "downloaded");
    expect(second.files!.map((f) => f.attachmentId).sort()).toEqual(carried.map((a) => a.localId).sort());

    const restored = await openChatStorage({
      userId: `${userId}/restored`,
      storageSecret: systemRandom(32),
      identityKeyPair: IdentityKeyPair.generate(systemRandom),
    });
    try {
      await restoreBackupFiles(restored, second);
      const later = carried.find((a) => a.name === "later.bin")!;
      const copy = await readLocalFile(restored, later.localId, later.size, later.type);
      expect(new Uint8Array(await copy!.arrayBuffer())).toEqual(bytesOf(200_000));
    } finally {
      restored.close();
    }

    await alice.engine.setBackupAttachmentLimit(10 ** 12);
    expect(await alice.engine.backupAttachmentLimit()).toBe(MAX_BACKUP_ATTACHMENT_BYTES);
    await alice.engine.setBackupAttachmentLimit(-5);
    expect(await alice.engine.backupAttachmentLimit()).toBe(0);
  });

  it("are listed in the message-history export, each with its bytes under messages/files/", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await aliceWithFiles(server);
    const files = new Map<string, Uint8Array>();
    const history = await readMessageHistory(server.client(alice.person.userId), `${alice.person.userId}/laptop`, (path, bytes) => files.set(path, bytes));
    const messages = history!.conversations.find((c) => c.with?.userId === bob.person.userId)!.messages;
    expect(messages.map((m) => [m.text, m.files?.map((f) => [f.name, f.type, f.size])])).toEqual([
      [
        "first",
        [
          ["IMG_0001.jpg", "image/jpeg", expect.any(Number)],
          ["notes.bin", "application/octet-stream", 300_000],
        ],
      ],
      ["second", [["later.bin", "application/octet-stream", 200_000]]],
    ]);
    const later = messages[1]!.files![0]!;
    expect(later.path).toMatch(/^files\/[0-9a-f-]{36}-later\.bin$/);
    expect(files.get(later.path!)).toEqual(bytesOf(200_000));
    expect(files.size).toBe(3);
  });
});
