// Files through the ChatEngine façade against the fake chat API and its attachment route: sent 1:1
// and in a group, received, downloaded, resumed after a dropped connection either way, cancelled,
// refused for quota, refused when tampered with, within the envelope's 64 KiB, and put right after
// a tab closed mid-upload. fake-indexeddb stands in for IndexedDB, fakeMediaTools for the
// browser's image decoding (the canvas itself is left to the end-to-end tests).
import "fake-indexeddb/auto";
import { createHash } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { encryptedAttachmentSize, loadCryptoCore } from "../../crypto";
import type { ChatEngine } from "../chat-engine";
import type { ChatSession } from "../chat-session";
import type { MessageRecord } from "../records";
import { FakeChatServer, isPaddedEnvelope, networkError, until, type FakeAttachment } from "../testing/fake-chat-server";
import { fakeMediaTools, fakePhoto } from "../testing/fake-media-tools";
import { linkTestEngine, readyTestEngine, startTestEngine, statusOf, stopTestEngines, type TestEngine, type TestEngineOptions } from "../testing/test-engine";
import type { AttachmentView, ChatMessage } from "../types";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

/** The running session behind the façade: only to look into a device's storage. */
const sessionOf = (engine: ChatEngine) => engine["session"] as ChatSession;
const messageWith = (engine: ChatEngine, conversationId: string, body: string): ChatMessage | undefined =>
  engine.messages(conversationId).messages.find((m) => m.body === body);
const fileOf = (engine: ChatEngine, conversationId: string, body: string, name: string): AttachmentView | undefined =>
  messageWith(engine, conversationId, body)?.attachments.find((a) => a.name === name);
/** A SHA-256 to compare files by (comparing megabytes element by element is slow, and unreadable when it fails). */
const digestOf = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const thisDevice = async (engine: ChatEngine) => (await engine.devices()).find((d) => d.current)!.rowId;
/** What a camera writes after the picture: long enough not to turn up by chance in the fake JPEG's random bytes. */
const GPS_TAG = "EXIF GPSLatitude 48.858370 N GPSLongitude 2.294481 E Canon EOS R5";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function randomFile(name: string, size: number, type = "application/pdf"): { file: File; bytes: Uint8Array } {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
  return { file: new File([bytes], name, { type }), bytes };
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  const text = Buffer.from(haystack);
  return text.indexOf(Buffer.from(needle)) >= 0;
}

/** Opens a file from a device's storage and gives its bytes. */
async function openedBytes(engine: ChatEngine, conversationId: string, body: string, name: string): Promise<Uint8Array> {
  const message = messageWith(engine, conversationId, body)!;
  const file = message.attachments.find((a) => a.name === name)!;
  return new Uint8Array(await (await engine.openAttachment(message.id, file.id)).arrayBuffer());
}

/** The blob on the server whose ciphertext size fits a plaintext of `size` bytes (the test's files differ in size). */
const blobFor = (server: FakeChatServer, size: number): FakeAttachment | undefined =>
  server.attachments().find((b) => b.size === encryptedAttachmentSize(size));

async function aliceAndBob(server: FakeChatServer, options: { alice?: TestEngineOptions } = {}): Promise<{ alice: TestEngine; bob: TestEngine }> {
  const [alice, bob] = await Promise.all([
    readyTestEngine(server, server.createAccount("alice"), "laptop", options.alice),
    readyTestEngine(server, server.createAccount("bob"), "desktop"),
  ]);
  // People who follow each other: their first messages are no message requests.
  server.followEachOther(alice.person, bob.person);
  await alice.engine.openConversation("bob");
  await Promise.all([alice.engine.loadOlder(bob.person.userId), bob.engine.loadOlder(alice.person.userId)]);
  return { alice, bob };
}

describe("files between two people", () => {
  it("send a photo without its metadata and a 3 MB file, encrypted on the server, to the peer and our other device, and delete each blob once every device has it", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await aliceAndBob(server);
    const alicePhone = await linkTestEngine(server, alice, "phone");
    const [aliceId, bobId] = [alice.person.userId, bob.person.userId];
    await alicePhone.engine.loadOlder(bobId);
    const report = randomFile("C:\\Users\\alice\\report.pdf", 3_000_000);

    await alice.engine.sendFiles(bobId, [fakePhoto({ width: 6000, height: 4000, tail: GPS_TAG }), report.file], "  holiday  ");
    // Shown at once, the photo with its thumbnail, both uploading.
    const sending = messageWith(alice.engine, bobId, "holiday")!;
    expect(sending).toMatchObject({ state: "sending", outgoing: true });
    expect(sending.attachments.map((a) => [a.name, a.type, a.kind, a.status])).toEqual([
      ["IMG_0001.jpg", "image/jpeg", "image", "uploading"],
      ["report.pdf", "application/pdf", "file", "uploading"],
    ]);
    expect(sending.attachments[0]).toMatchObject({
      width: 4096,
      height: 2731,
      thumbnailUrl: expect.stringMatching(/^data:image\/jpeg;base64,[A-Za-z0-9+/]+=*$/),
    });
    expect(sending.attachments[1]).toMatchObject({ size: 3_000_000, thumbnailUrl: null, progress: expect.any(Number) });
    expect(alice.engine.getSnapshot().conversations[0]?.lastMessage).toMatchObject({ body: "holiday", attachments: 2 });

    await until(() => messageWith(alice.engine, bobId, "holiday")?.state === "sent");
    expect(messageWith(alice.engine, bobId, "holiday")!.attachments.map((a) => [a.status, a.progress])).toEqual([
      ["downloaded", null],
      ["downloaded", null],
    ]);
    // The server holds ciphertext only, for Bob's desktop and Alice's phone (not the device that sent it).
    const reportBlob = blobFor(server, 3_000_000)!;
    expect(reportBlob.received).toBe(reportBlob.size);
    expect(contains(reportBlob.bytes, report.bytes.subarray(1_000_000, 1_000_064))).toBe(false);
    expect(new Set(reportBlob.recipients)).toEqual(new Set([await thisDevice(bob.engine), await thisDevice(alicePhone.engine)]));

    // The photo downloads by itself on both, the file waits to be asked for.
    for (const [engine, conversationId] of [
      [bob.engine, aliceId],
      [alicePhone.engine, bobId],
    ] as const) {
      await until(() => fileOf(engine, conversationId, "holiday", "IMG_0001.jpg")?.status === "downloaded");
      expect(fileOf(engine, conversationId, "holiday", "report.pdf")).toMatchObject({ status: "available", size: 3_000_000, type: "application/pdf" });
    }
    expect(messageWith(bob.engine, aliceId, "holiday")).toMatchObject({ outgoing: false, body: "holiday" });
    expect(messageWith(alicePhone.engine, bobId, "holiday")).toMatchObject({ outgoing: true, state: expect.any(String) });
    // What arrived is the JPEG drawn again, the same on every device, with nothing of the original's tail.
    const sentPhoto = await openedBytes(alice.engine, bobId, "holiday", "IMG_0001.jpg");
    expect(new TextDecoder().decode(sentPhoto.subarray(0, 8))).toBe("FAKEJPEG");
    expect(contains(sentPhoto, new TextEncoder().encode(GPS_TAG))).toBe(false);
    expect(digestOf(await openedBytes(bob.engine, aliceId, "holiday", "IMG_0001.jpg"))).toBe(digestOf(sentPhoto));
    expect(digestOf(await openedBytes(alicePhone.engine, bobId, "holiday", "IMG_0001.jpg"))).toBe(digestOf(sentPhoto));
    // Both devices fetched the photo: its blob is gone.
    await until(() => server.attachments().length === 1);
    expect(server.attachments()[0]!.id).toBe(reportBlob.id);

    const bobMessage = messageWith(bob.engine, aliceId, "holiday")!;
    const bobReport = fileOf(bob.engine, aliceId, "holiday", "report.pdf")!;
    await bob.engine.downloadAttachment(bobMessage.id, bobReport.id);
    expect(fileOf(bob.engine, aliceId, "holiday", "report.pdf")!.status).toBe("downloaded");
    expect(digestOf(await openedBytes(bob.engine, aliceId, "holiday", "report.pdf"))).toBe(digestOf(report.bytes));
    expect(digestOf(await openedBytes(alice.engine, bobId, "holiday", "report.pdf"))).toBe(digestOf(report.bytes));
    await sleep(50);
    // Alice's phone has not fetched it yet: the blob stays until it has.
    expect(server.attachments().map((b) => b.id)).toEqual([reportBlob.id]);
    const phoneMessage = messageWith(alicePhone.engine, bobId, "holiday")!;
    await alicePhone.engine.downloadAttachment(phoneMessage.id, phoneMessage.attachments[1]!.id);
    await until(() => server.attachments().length === 0);
    for (const size of server.envelopeSizes) expect(isPaddedEnvelope(size)).toBe(true);
  });

  it("resumes a download whose connection dropped from the byte it reached, and gets the same file", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await aliceAndBob(server);
    const report = randomFile("report.pdf", 3_000_000);
    await alice.engine.sendFiles(bob.person.userId, [report.file], "");
    await until(() => !!bob.engine.messages(alice.person.userId).messages[0]);
    const [message] = bob.engine.messages(alice.person.userId).messages;
    expect(message).toMatchObject({ body: "", attachments: [expect.objectContaining({ name: "report.pdf", status: "available" })] });

    server.cutNextDownload(1_234_567);
    await bob.engine.downloadAttachment(message!.id, message!.attachments[0]!.id);
    const downloads = server.attachmentRequests.filter((r) => r.op === "download");
    expect(downloads.map((r) => r.at)).toEqual([0, 1_234_567]);
    expect(digestOf(await openedBytes(bob.engine, alice.person.userId, "", "report.pdf"))).toBe(digestOf(report.bytes));
    await until(() => server.attachments().length === 0);
  });

  it("resumes an upload cut mid-part from where the server stands, sending no part twice once stored", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await aliceAndBob(server);
    const report = randomFile("report.pdf", 3_000_000);
    // The first part does not arrive; sent again, it is stored but its answer is lost.
    server.cutNextUpload({ storedFirst: false });
    server.cutNextUpload({ storedFirst: true });
    await alice.engine.sendFiles(bob.person.userId, [report.file], "cut twice");
    await until(() => messageWith(alice.engine, bob.person.userId, "cut twice")?.state === "sent");

    const requests = server.attachmentRequests.map((r) => `${r.op}@${r.at}`);
    const part = server.maxPartBytes;
    // After each cut, HEAD says where the server stands: before the part (send it again), then after it (go on).
    expect(requests).toEqual([`append@0`, `offset@0`, `append@0`, `offset@${part}`, `append@${part}`, `append@${2 * part}`]);
    const message =
      messageWith(bob.engine, alice.person.userId, "cut twice") ??
      (await until(() => !!messageWith(bob.engine, alice.person.userId, "cut twice")), messageWith(bob.engine, alice.person.userId, "cut twice")!);
    await bob.engine.downloadAttachment(message.id, message.attachments[0]!.id);
    expect(digestOf(await openedBytes(bob.engine, alice.person.userId, "cut twice", "report.pdf"))).toBe(digestOf(report.bytes));
  });

  it("stops an upload when cancelled, sends nothing, and uploads again on Retry", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await aliceAndBob(server);
    const bobId = bob.person.userId;
    const report = randomFile("report.pdf", 3_000_000);
    const release = server.holdUploads();
    await alice.engine.sendFiles(bobId, [report.file], "never mind");
    await until(() => server.attachmentRequests.some((r) => r.op === "append"));
    const { id } = messageWith(alice.engine, bobId, "never mind")!;
    await alice.engine.cancelUpload(id);
    await until(() => messageWith(alice.engine, bobId, "never mind")?.state === "failed");
    expect(messageWith(alice.engine, bobId, "never mind")!.attachments[0]).toMatchObject({
      status: "upload-failed",
      error: "chat_attachment_cancelled",
      progress: null,
    });
    release();
    await sleep(100);
    // Nothing was sent, and the blob begun is not complete: never served (the server sweeps it within a day).
    expect(server.sends.filter((s) => s.clientMessageId === id)).toEqual([]);
    expect(server.attachments().every((b) => b.received < b.size)).toBe(true);
    expect(bob.engine.messages(alice.person.userId).messages).toEqual([]);
    // The local copy stays: the sender can still open it, and Retry uploads from it.
    expect(digestOf(await openedBytes(alice.engine, bobId, "never mind", "report.pdf"))).toBe(digestOf(report.bytes));

    await alice.engine.retry(id);
    await until(() => messageWith(alice.engine, bobId, "never mind")?.state === "delivered");
    const received = await (async () => (
      await until(() => !!messageWith(bob.engine, alice.person.userId, "never mind")),
      messageWith(bob.engine, alice.person.userId, "never mind")!
    ))();
    await bob.engine.downloadAttachment(received.id, received.attachments[0]!.id);
    expect(digestOf(await openedBytes(bob.engine, alice.person.userId, "never mind", "report.pdf"))).toBe(digestOf(report.bytes));
  });

  it("refuses files past the quota before storing anything, and says so on a message the server refused", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await aliceAndBob(server);
    const bobId = bob.person.userId;
    server.attachmentQuotaBytes = 2_000_000;
    await expect(alice.engine.sendFiles(bobId, [randomFile("big.bin", 3_000_000).file], "too much")).rejects.toMatchObject({ code: "chat_attachment_quota" });
    expect(alice.engine.messages(bobId).messages).toEqual([]);
    expect(await alice.engine.attachmentQuota()).toEqual({ usedBytes: 0, limitBytes: 2_000_000 });

    // The quota could not be asked first (or was used up meanwhile): the server's refusal shows on the file.
    server.interrupt("attachments.quota", 1, networkError);
    await alice.engine.sendFiles(bobId, [randomFile("big.bin", 3_000_000).file], "refused later");
    await until(() => messageWith(alice.engine, bobId, "refused later")?.state === "failed");
    expect(messageWith(alice.engine, bobId, "refused later")!.attachments[0]).toMatchObject({ status: "upload-failed", error: "chat_attachment_quota" });
    expect(server.attachments()).toEqual([]);
  });

  it("refuses a blob the server changed: the download fails and nothing of it is kept", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await aliceAndBob(server);
    await alice.engine.sendFiles(bob.person.userId, [randomFile("report.pdf", 3_000_000).file], "tampered");
    await until(() => !!messageWith(bob.engine, alice.person.userId, "tampered"));
    server.tamperAttachment(server.attachments()[0]!.id);
    const message = messageWith(bob.engine, alice.person.userId, "tampered")!;
    const file = message.attachments[0]!;
    await expect(bob.engine.downloadAttachment(message.id, file.id)).rejects.toMatchObject({ code: "chat_attachment_failed" });
    expect(fileOf(bob.engine, alice.person.userId, "tampered", "report.pdf")).toMatchObject({
      status: "download-failed",
      error: "chat_attachment_failed",
      progress: null,
    });
    const pieces = [];
    for await (const piece of sessionOf(bob.engine).ctx.storage.readAttachmentChunks(file.id)) pieces.push(piece);
    expect(pieces).toEqual([]);
    await expect(bob.engine.openAttachment(message.id, file.id)).rejects.toMatchObject({ code: "chat_attachment_gone" });
    // Not reported as fetched: the blob stays for the sender's other devices to be checked against.
    expect(server.attachments()).toHaveLength(1);
  });

  it("keeps a message with ten files and the longest caption within the 64 KiB envelope, thumbnails shrunk to fit", async () => {
    const server = new FakeChatServer();
    // Thumbnails as large as the 8 KiB allowed at their best quality.
    const media = fakeMediaTools({ jpegBytes: (width, height, quality) => (width <= 160 ? Math.round(width * height * quality * 0.6) : 50_000) });
    const [alice, bob, carol] = await Promise.all([
      readyTestEngine(server, server.createAccount("alice"), "laptop", { media }),
      readyTestEngine(server, server.createAccount("bob"), "desktop"),
      readyTestEngine(server, server.createAccount("carol"), "phone"),
    ]);
    // People who follow each other: their first messages are no message requests.
    server.followEachOther(alice.person, bob.person, carol.person);
    const caption = "\u0001".repeat(4000);
    const photos = () => Array.from({ length: 10 }, (_, i) => fakePhoto({ width: 1600, height: 1200, name: `${"é".repeat(200)}-${i}.png` }));
    await alice.engine.openConversation("bob");
    await alice.engine.sendFiles(bob.person.userId, photos(), caption);
    // A group's first message: to each member pairwise, the sender key with the message base64-encoded in it.
    const groupId = await alice.engine.createGroup({ name: "Ten", description: "", memberIds: [bob.person.userId, carol.person.userId] });
    await until(
      () => bob.engine.getSnapshot().conversations.some((c) => c.id === groupId) && carol.engine.getSnapshot().conversations.some((c) => c.id === groupId),
    );
    await alice.engine.sendFiles(groupId, photos(), caption);

    for (const conversationId of [alice.person.userId, groupId]) {
      await bob.engine.loadOlder(conversationId);
      await until(() => bob.engine.messages(conversationId).messages.some((m) => m.attachments.length === 10));
      const files = bob.engine.messages(conversationId).messages.find((m) => m.attachments.length === 10)!.attachments;
      expect(files.every((f) => f.thumbnailUrl !== null)).toBe(true);
    }
    expect(server.envelopeSizes.length).toBeGreaterThan(0);
    for (const size of server.envelopeSizes) expect(isPaddedEnvelope(size), `an envelope of ${size} bytes`).toBe(true);
    expect(Math.max(...server.envelopeSizes)).toBe(64 * 1024 + 50);
    expect(await alice.engine.sendFiles(groupId, [...photos(), fakePhoto({ width: 10, height: 10 })], "eleven").catch((e: unknown) => e)).toMatchObject({
      code: "chat_attachment_too_many",
    });
  });

  it("shows an upload a closed tab left as failed at the next start, and Retry uploads it from the local copy", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await aliceAndBob(server);
    const bobId = bob.person.userId;
    const report = randomFile("report.pdf", 2_500_000);
    const release = server.holdUploads();
    await alice.engine.sendFiles(bobId, [report.file], "interrupted");
    await until(() => server.attachmentRequests.some((r) => r.op === "append"));
    alice.engine.stop();
    release();

    const again = startTestEngine(server, alice.person, "laptop");
    await statusOf(again.engine, "ready");
    await again.engine.loadOlder(bobId);
    await until(() => messageWith(again.engine, bobId, "interrupted")?.state === "failed");
    expect(messageWith(again.engine, bobId, "interrupted")!.attachments[0]).toMatchObject({ status: "upload-failed" });
    const record = await sessionOf(again.engine).ctx.storage.getMessage<MessageRecord>(messageWith(again.engine, bobId, "interrupted")!.id);
    expect(record!.attachments![0]!.blob).toBeUndefined();

    await again.engine.retry(messageWith(again.engine, bobId, "interrupted")!.id);
    await until(() => messageWith(again.engine, bobId, "interrupted")?.state === "delivered");
    await until(() => !!messageWith(bob.engine, alice.person.userId, "interrupted"));
    const received = messageWith(bob.engine, alice.person.userId, "interrupted")!;
    await bob.engine.downloadAttachment(received.id, received.attachments[0]!.id);
    expect(digestOf(await openedBytes(bob.engine, alice.person.userId, "interrupted", "report.pdf"))).toBe(digestOf(report.bytes));
  });
});

describe("files in a group", () => {
  it("go to every member's device once, each downloads and checks them, and the blobs go when all have them", async () => {
    const server = new FakeChatServer();
    const [alice, bob, carol] = await Promise.all([
      readyTestEngine(server, server.createAccount("alice"), "laptop"),
      readyTestEngine(server, server.createAccount("bob"), "desktop"),
      readyTestEngine(server, server.createAccount("carol"), "phone"),
    ]);
    // People who follow each other: their first messages are no message requests.
    server.followEachOther(alice.person, bob.person, carol.person);
    const groupId = await alice.engine.createGroup({ name: "Trip", description: "", memberIds: [bob.person.userId, carol.person.userId] });
    for (const e of [bob, carol]) await until(() => e.engine.getSnapshot().conversations.some((c) => c.id === groupId));
    for (const e of [alice, bob, carol]) await e.engine.loadOlder(groupId);
    const report = randomFile("plan.pdf", 3_000_000);

    await alice.engine.sendFiles(groupId, [fakePhoto({ width: 3000, height: 2000, tail: GPS_TAG }), report.file], "for the trip");
    await until(() => messageWith(alice.engine, groupId, "for the trip")?.state === "delivered");
    expect(messageWith(alice.engine, groupId, "for the trip")!.groupDelivery).toEqual({ delivered: 2, total: 2 });
    const members = new Set([await thisDevice(bob.engine), await thisDevice(carol.engine)]);
    for (const blob of server.attachments()) expect(new Set(blob.recipients)).toEqual(members);
    const sentPhoto = await openedBytes(alice.engine, groupId, "for the trip", "IMG_0001.jpg");

    for (const member of [bob, carol]) {
      await until(() => fileOf(member.engine, groupId, "for the trip", "IMG_0001.jpg")?.status === "downloaded");
      expect(messageWith(member.engine, groupId, "for the trip")).toMatchObject({ outgoing: false, sender: { handle: "alice" } });
      expect(digestOf(await openedBytes(member.engine, groupId, "for the trip", "IMG_0001.jpg"))).toBe(digestOf(sentPhoto));
      const message = messageWith(member.engine, groupId, "for the trip")!;
      await member.engine.downloadAttachment(message.id, message.attachments[1]!.id);
      expect(digestOf(await openedBytes(member.engine, groupId, "for the trip", "plan.pdf"))).toBe(digestOf(report.bytes));
    }
    await until(() => server.attachments().length === 0);
    expect(alice.engine.getSnapshot().conversations.find((c) => c.id === groupId)?.lastMessage).toMatchObject({ attachments: 2 });
  });
});
