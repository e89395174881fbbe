// Attachment blobs at the data layer, on a real database and real files in a temporary data
// folder: resumable uploads, who may download, deletion once delivered, expiry, the quota, blocks
// and account deletion. The database is a scratch one of this file's own: the sweeps below move
// the clock 30 days on, and in the shared test database they would delete other files' uploads.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../errors";
import { purgeAccountCompletely } from "../../jobs/sweep-privacy";
import { attachmentStorage } from "../../media/media-storage";
import { createScratchDatabase } from "../../testing/scratch-database";
import { uniqueEmail, uniqueHandle } from "../../testing/unique";
import { person, type PersonActor, system } from "../actor";
import { db } from "../db";
import { applyMigrations } from "../migrations/apply-migrations";
import {
  appendAttachmentBytes,
  ATTACHMENT_LIFETIME_MS,
  ATTACHMENT_QUOTA_BYTES,
  attachmentKeyOf,
  attachmentQuota,
  attachmentUploadOffset,
  createAttachmentUpload,
  INCOMPLETE_UPLOAD_LIFETIME_MS,
  markAttachmentFetched,
  MAX_ATTACHMENT_CIPHERTEXT_BYTES,
  openAttachmentDownload,
  sweepExpiredAttachments,
} from "./attachments";
import { registerDevice, revokeDevice } from "./devices";

const purpose = "core.messaging" as const;
const MiB = 1024 * 1024;
const bytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));

let dataDir = "";
let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
beforeAll(async () => {
  // serverEnv() reads both variables on first use (the first query, the first file), which comes after this.
  dataDir = await mkdtemp(path.join(tmpdir(), "hearth-attachments-test-"));
  process.env.HEARTH_DATA_DIR = dataDir;
  scratch = await createScratchDatabase();
  await applyMigrations({ databaseUrl: scratch.url, migrationsDir: path.resolve("prisma/migrations") });
  process.env.DATABASE_URL = scratch.url;
});
afterAll(async () => {
  await db().$disconnect();
  await scratch?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Where the local store keeps an attachment's blob. */
function blobFileOf(id: string): string {
  const key = attachmentKeyOf(id);
  return path.join(dataDir, "chat-attachments", key.slice(0, 2), key);
}

function newDevice(actor: PersonActor) {
  return registerDevice({
    actor,
    purpose,
    identityKey: bytes(33),
    linkSignature: null,
    signedPreKey: { keyId: 1, publicKey: bytes(33), signature: bytes(64) },
    lastResortKyberPreKey: { keyId: 2, publicKey: bytes(1185), signature: bytes(64) },
    oneTimePreKeys: [],
    kyberPreKeys: [],
  }).then((d) => d.rowId);
}

async function newPerson(devices = 1) {
  const user = await db().user.create({ data: { handle: uniqueHandle(), email: uniqueEmail(), passwordHash: "x", displayName: "Test" } });
  const actor = person(user.id);
  const rowIds: string[] = [];
  for (let i = 0; i < devices; i++) rowIds.push(await newDevice(actor));
  return { id: user.id, actor, devices: rowIds };
}

/** Alice (a phone and a laptop) sends to Bob (two devices). */
async function aliceAndBob() {
  const [alice, bob] = await Promise.all([newPerson(2), newPerson(2)]);
  return { alice, bob, recipients: [...bob.devices, alice.devices[1]!] };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected a refusal").toBeInstanceOf(AppError);
  return error as AppError;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function upload(actor: PersonActor, blob: Uint8Array, recipients: string[], now?: Date): Promise<string> {
  const { id } = await createAttachmentUpload({ actor, purpose, size: blob.byteLength, recipientDeviceRowIds: recipients, now });
  await appendAttachmentBytes({ actor, purpose, id, offset: 0, bytes: blob, now });
  return id;
}

const download = (actor: PersonActor, id: string, deviceRowId: string, start = 0) => openAttachmentDownload({ actor, purpose, id, deviceRowId, start });

describe("an attachment upload", () => {
  it("takes its parts in order, completes with the last byte, and serves the blob to its recipient devices from any byte", async () => {
    const { alice, bob, recipients } = await aliceAndBob();
    const blob = bytes(20_000);
    const { id } = await createAttachmentUpload({ actor: alice.actor, purpose, size: blob.byteLength, recipientDeviceRowIds: recipients });
    expect(await attachmentUploadOffset({ actor: alice.actor, purpose, id })).toEqual({ offset: 0, size: 20_000, complete: false });
    // Not served before it is complete.
    expect((await refusal(download(bob.actor, id, bob.devices[0]!))).code).toBe("NOT_FOUND");

    expect(await appendAttachmentBytes({ actor: alice.actor, purpose, id, offset: 0, bytes: blob.subarray(0, 8_000) })).toEqual({
      offset: 8_000,
      complete: false,
    });
    expect((await attachmentUploadOffset({ actor: alice.actor, purpose, id })).offset).toBe(8_000);
    expect(await appendAttachmentBytes({ actor: alice.actor, purpose, id, offset: 8_000, bytes: blob.subarray(8_000) })).toEqual({
      offset: 20_000,
      complete: true,
    });

    for (const [actor, device] of [
      [bob.actor, bob.devices[0]!],
      [bob.actor, bob.devices[1]!],
      [alice.actor, alice.devices[1]!],
    ] as const) {
      const whole = await download(actor, id, device);
      expect(whole.size).toBe(20_000);
      expect(await readAll(whole.stream!)).toEqual(blob);
    }
    const rest = await download(bob.actor, id, bob.devices[0]!, 12_345);
    expect(rest.size).toBe(20_000);
    expect(await readAll(rest.stream!)).toEqual(blob.subarray(12_345));
    expect(await download(bob.actor, id, bob.devices[0]!, 20_000)).toEqual({ size: 20_000, stream: null });

    // Only the uploader sees or moves the upload.
    expect((await refusal(attachmentUploadOffset({ actor: bob.actor, purpose, id }))).code).toBe("NOT_FOUND");
    expect((await refusal(appendAttachmentBytes({ actor: bob.actor, purpose, id, offset: 20_000, bytes: bytes(1) }))).code).toBe("NOT_FOUND");
  });

  it("resumes where its counted bytes end: a part written but never counted is replaced, not kept", async () => {
    const { alice, bob, recipients } = await aliceAndBob();
    const blob = bytes(3_000);
    const { id } = await createAttachmentUpload({ actor: alice.actor, purpose, size: blob.byteLength, recipientDeviceRowIds: recipients });
    await appendAttachmentBytes({ actor: alice.actor, purpose, id, offset: 0, bytes: blob.subarray(0, 1_000) });
    // The process died after writing a part and before counting it: the file holds garbage past byte 1,000.
    await attachmentStorage().append(attachmentKeyOf(id), bytes(1_500), { at: 1_000 });
    expect((await attachmentUploadOffset({ actor: alice.actor, purpose, id })).offset).toBe(1_000);

    await appendAttachmentBytes({ actor: alice.actor, purpose, id, offset: 1_000, bytes: blob.subarray(1_000, 1_200) });
    await appendAttachmentBytes({ actor: alice.actor, purpose, id, offset: 1_200, bytes: blob.subarray(1_200) });
    expect(await readAll((await download(bob.actor, id, bob.devices[0]!)).stream!)).toEqual(blob);
  });

  it("refuses a part that does not start where the upload stands, with the offset to resume from, and stores nothing of it", async () => {
    const { alice, recipients } = await aliceAndBob();
    const { id } = await createAttachmentUpload({ actor: alice.actor, purpose, size: 100, recipientDeviceRowIds: recipients });
    await appendAttachmentBytes({ actor: alice.actor, purpose, id, offset: 0, bytes: bytes(40) });
    for (const offset of [0, 39, 41, 100]) {
      const error = await refusal(appendAttachmentBytes({ actor: alice.actor, purpose, id, offset, bytes: bytes(10) }));
      expect([error.code, error.trpcCode, error.details.uploadOffset]).toEqual(["UPLOAD_OFFSET_MISMATCH", "CONFLICT", 40]);
    }
    // Two parts for the same offset at once: one is counted, the other told where the first ended.
    const outcomes = await Promise.allSettled([10, 20].map((n) => appendAttachmentBytes({ actor: alice.actor, purpose, id, offset: 40, bytes: bytes(n) })));
    const stored = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value.offset] : []));
    expect(stored).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect((refused.reason as AppError).details.uploadOffset).toBe(stored[0]);
    expect(await attachmentStorage().size(attachmentKeyOf(id))).toBe(stored[0]);
  });

  it("refuses parts past the declared size, empty parts, and sizes past the largest ciphertext", async () => {
    const { alice, recipients } = await aliceAndBob();
    const { id } = await createAttachmentUpload({ actor: alice.actor, purpose, size: 10, recipientDeviceRowIds: recipients });
    expect((await refusal(appendAttachmentBytes({ actor: alice.actor, purpose, id, offset: 0, bytes: bytes(11) }))).code).toBe("BODY_TOO_LARGE");
    expect((await refusal(appendAttachmentBytes({ actor: alice.actor, purpose, id, offset: 0, bytes: bytes(0) }))).code).toBe("REQUEST_INVALID");
    expect(await attachmentUploadOffset({ actor: alice.actor, purpose, id })).toEqual({ offset: 0, size: 10, complete: false });
    await appendAttachmentBytes({ actor: alice.actor, purpose, id, offset: 0, bytes: bytes(10) });
    expect((await refusal(appendAttachmentBytes({ actor: alice.actor, purpose, id, offset: 10, bytes: bytes(1) }))).code).toBe("BODY_TOO_LARGE");

    const create = (size: number) => createAttachmentUpload({ actor: alice.actor, purpose, size, recipientDeviceRowIds: recipients });
    expect((await refusal(create(MAX_ATTACHMENT_CIPHERTEXT_BYTES + 1))).code).toBe("MEDIA_TOO_LARGE");
    expect((await refusal(create(0))).code).toBe("REQUEST_INVALID");
    expect((await create(MAX_ATTACHMENT_CIPHERTEXT_BYTES)).id).toBeDefined();
  });
});

describe("the quota", () => {
  it("refuses an upload that would pass 1 GiB with how much is used and allowed, and stores nothing", async () => {
    const { alice, recipients } = await aliceAndBob();
    const create = (size: number) => createAttachmentUpload({ actor: alice.actor, purpose, size, recipientDeviceRowIds: recipients });
    for (let i = 0; i < 10; i++) await create(100 * MiB);
    expect(await attachmentQuota({ actor: alice.actor, purpose })).toEqual({ usedBytes: 1000 * MiB, limitBytes: ATTACHMENT_QUOTA_BYTES });

    const error = await refusal(create(MAX_ATTACHMENT_CIPHERTEXT_BYTES));
    expect([error.code, error.trpcCode]).toEqual(["QUOTA_EXCEEDED", "FORBIDDEN"]);
    expect(error.message).toContain("1000.0 MiB of your 1024.0 MiB");
    expect(error.message).toContain("106.0 MiB");
    expect(await db().chatAttachment.count({ where: { uploaderId: alice.id } })).toBe(10);
    // What still fits, fits.
    await create(ATTACHMENT_QUOTA_BYTES - 1000 * MiB);
    expect((await refusal(create(1))).code).toBe("QUOTA_EXCEEDED");
  });

  it("holds for uploads begun at the same moment", async () => {
    const { alice, recipients } = await aliceAndBob();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, () => createAttachmentUpload({ actor: alice.actor, purpose, size: 100 * MiB, recipientDeviceRowIds: recipients })),
    );
    expect(outcomes.flatMap((o) => (o.status === "rejected" ? [(o.reason as AppError).code] : []))).toEqual(["QUOTA_EXCEEDED", "QUOTA_EXCEEDED"]);
    expect((await attachmentQuota({ actor: alice.actor, purpose })).usedBytes).toBe(1000 * MiB);
  });

  it("frees what was delivered", async () => {
    const { alice, bob } = await aliceAndBob();
    const id = await upload(alice.actor, bytes(5_000), [bob.devices[0]!]);
    expect((await attachmentQuota({ actor: alice.actor, purpose })).usedBytes).toBe(5_000);
    await markAttachmentFetched({ actor: bob.actor, purpose, id, deviceRowId: bob.devices[0]! });
    expect((await attachmentQuota({ actor: alice.actor, purpose })).usedBytes).toBe(0);
  });
});

describe("who may download", () => {
  it("only the devices it was sent to, active and the caller's own", async () => {
    const { alice, bob, recipients } = await aliceAndBob();
    const carol = await newPerson(1);
    const id = await upload(alice.actor, bytes(100), recipients);

    // Another person, with their own device or naming a recipient device.
    expect((await refusal(download(carol.actor, id, carol.devices[0]!))).code).toBe("NOT_FOUND");
    expect((await refusal(download(carol.actor, id, bob.devices[0]!))).code).toBe("NOT_FOUND");
    // The uploader's device that was not listed (the one that uploaded).
    expect((await refusal(download(alice.actor, id, alice.devices[0]!))).code).toBe("NOT_FOUND");
    // A device of the recipient's that was not listed.
    const bobsNewDevice = await newDevice(bob.actor);
    expect((await refusal(download(bob.actor, id, bobsNewDevice))).code).toBe("NOT_FOUND");
    // A listed device, revoked since.
    await revokeDevice({ actor: bob.actor, purpose, deviceRowId: bob.devices[1]! });
    expect((await refusal(download(bob.actor, id, bob.devices[1]!))).code).toBe("NOT_FOUND");
    expect((await refusal(markAttachmentFetched({ actor: bob.actor, purpose, id, deviceRowId: bob.devices[1]! }))).code).toBe("NOT_FOUND");
    expect((await refusal(markAttachmentFetched({ actor: carol.actor, purpose, id, deviceRowId: bob.devices[0]! }))).code).toBe("NOT_FOUND");

    expect((await download(bob.actor, id, bob.devices[0]!)).size).toBe(100);
  });

  it("leaves out the devices of people blocked either way, and refuses when nobody is left", async () => {
    const { alice, bob } = await aliceAndBob();
    const [carol, dave] = await Promise.all([newPerson(1), newPerson(1)]);
    await db().block.create({ data: { blockerId: carol.id, blockedId: alice.id } });
    await db().block.create({ data: { blockerId: alice.id, blockedId: dave.id } });
    const id = await upload(alice.actor, bytes(50), [bob.devices[0]!, carol.devices[0]!, dave.devices[0]!]);
    const stored = await db().chatAttachmentRecipient.findMany({ where: { attachmentId: id }, select: { deviceRowId: true } });
    expect(stored.map((r) => r.deviceRowId)).toEqual([bob.devices[0]]);
    expect((await refusal(download(carol.actor, id, carol.devices[0]!))).code).toBe("NOT_FOUND");
    expect((await refusal(download(dave.actor, id, dave.devices[0]!))).code).toBe("NOT_FOUND");
    // Bob alone has it to fetch: once he has, it is gone.
    await markAttachmentFetched({ actor: bob.actor, purpose, id, deviceRowId: bob.devices[0]! });
    expect(existsSync(blobFileOf(id))).toBe(false);

    const create = (recipientDeviceRowIds: string[]) => createAttachmentUpload({ actor: alice.actor, purpose, size: 10, recipientDeviceRowIds });
    expect((await refusal(create([carol.devices[0]!, dave.devices[0]!]))).code).toBe("BLOCKED");
    expect((await refusal(create([bob.devices[0]!, crypto.randomUUID()]))).code).toBe("NOT_FOUND");
    expect((await refusal(create([bob.devices[0]!, bob.devices[0]!]))).code).toBe("REQUEST_INVALID");
    expect(await db().chatAttachment.count({ where: { uploaderId: alice.id } })).toBe(0);
  });
});

describe("deletion", () => {
  it("deletes the blob and its rows once every recipient device has fetched it, and not before", async () => {
    const { alice, bob, recipients } = await aliceAndBob();
    const id = await upload(alice.actor, bytes(1_000), recipients);
    expect(existsSync(blobFileOf(id))).toBe(true);

    await markAttachmentFetched({ actor: bob.actor, purpose, id, deviceRowId: bob.devices[0]! });
    // Fetching twice is harmless, and the device can still download again.
    await markAttachmentFetched({ actor: bob.actor, purpose, id, deviceRowId: bob.devices[0]! });
    expect((await download(bob.actor, id, bob.devices[0]!)).size).toBe(1_000);
    await markAttachmentFetched({ actor: bob.actor, purpose, id, deviceRowId: bob.devices[1]! });
    expect(existsSync(blobFileOf(id))).toBe(true);
    expect(await db().chatAttachment.count({ where: { id } })).toBe(1);

    await markAttachmentFetched({ actor: alice.actor, purpose, id, deviceRowId: alice.devices[1]! });
    expect(existsSync(blobFileOf(id))).toBe(false);
    expect(await db().chatAttachment.count({ where: { id } })).toBe(0);
    expect(await db().chatAttachmentRecipient.count({ where: { attachmentId: id } })).toBe(0);
    expect((await refusal(download(bob.actor, id, bob.devices[0]!))).code).toBe("NOT_FOUND");
    expect((await refusal(markAttachmentFetched({ actor: bob.actor, purpose, id, deviceRowId: bob.devices[0]! }))).code).toBe("NOT_FOUND");
  });

  it("is done by the last of several devices fetching at once", async () => {
    const { alice, bob, recipients } = await aliceAndBob();
    const id = await upload(alice.actor, bytes(64), recipients);
    await Promise.all([
      markAttachmentFetched({ actor: bob.actor, purpose, id, deviceRowId: bob.devices[0]! }),
      markAttachmentFetched({ actor: bob.actor, purpose, id, deviceRowId: bob.devices[1]! }),
      markAttachmentFetched({ actor: alice.actor, purpose, id, deviceRowId: alice.devices[1]! }),
    ]);
    expect(existsSync(blobFileOf(id))).toBe(false);
    expect(await db().chatAttachment.count({ where: { id } })).toBe(0);
  });

  it("sweeps attachments after 30 days, uploads not complete within a day, and those only revoked devices still wait for", async () => {
    const { alice, bob, recipients } = await aliceAndBob();
    const t0 = new Date(Date.now() - 1000);
    const delivered = await upload(alice.actor, bytes(10), recipients, t0);
    const { id: stale } = await createAttachmentUpload({ actor: alice.actor, purpose, size: 10, recipientDeviceRowIds: recipients, now: t0 });
    await appendAttachmentBytes({ actor: alice.actor, purpose, id: stale, offset: 0, bytes: bytes(4), now: t0 });
    const revokedOnly = await upload(alice.actor, bytes(10), [bob.devices[1]!], t0);
    await revokeDevice({ actor: bob.actor, purpose, deviceRowId: bob.devices[1]! });
    const ids = [delivered, stale, revokedOnly];
    const remaining = async () => (await db().chatAttachment.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((a) => a.id).sort();
    const sweep = (ms: number) => sweepExpiredAttachments({ actor: system("test"), purpose, now: new Date(t0.getTime() + ms) });

    await sweep(0);
    expect(await remaining()).toEqual([delivered, stale].sort());
    expect(existsSync(blobFileOf(revokedOnly))).toBe(false);

    // A day on, the half-finished upload is given up (and refused before the sweep).
    const dayLater = new Date(t0.getTime() + INCOMPLETE_UPLOAD_LIFETIME_MS);
    expect((await refusal(attachmentUploadOffset({ actor: alice.actor, purpose, id: stale, now: dayLater }))).code).toBe("NOT_FOUND");
    await sweep(INCOMPLETE_UPLOAD_LIFETIME_MS);
    expect(await remaining()).toEqual([delivered]);
    expect(existsSync(blobFileOf(stale))).toBe(false);
    expect(existsSync(blobFileOf(delivered))).toBe(true);

    // Nobody fetched the complete one: it goes after 30 days, and is not served on the last day's end.
    expect(
      (
        await refusal(
          openAttachmentDownload({
            actor: bob.actor,
            purpose,
            id: delivered,
            deviceRowId: bob.devices[0]!,
            start: 0,
            now: new Date(t0.getTime() + ATTACHMENT_LIFETIME_MS),
          }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    await sweep(ATTACHMENT_LIFETIME_MS - 1);
    expect(await remaining()).toEqual([delivered]);
    await sweep(ATTACHMENT_LIFETIME_MS);
    expect(await remaining()).toEqual([]);
    expect(existsSync(blobFileOf(delivered))).toBe(false);
  });

  it("deletes a disappearing message's blob at its expiry, fetched or not, and never serves it after", async () => {
    const { alice, bob, recipients } = await aliceAndBob();
    const t0 = new Date(Date.now() - 1000);
    const blob = bytes(50);
    const { id } = await createAttachmentUpload({
      actor: alice.actor,
      purpose,
      size: blob.byteLength,
      recipientDeviceRowIds: recipients,
      expiresInSeconds: 300,
      now: t0,
    });
    await appendAttachmentBytes({ actor: alice.actor, purpose, id, offset: 0, bytes: blob, now: t0 });
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const downloadAt = (ms: number) => openAttachmentDownload({ actor: bob.actor, purpose, id, deviceRowId: bob.devices[0]!, start: 0, now: at(ms) });
    // One of Bob's devices fetched it, the other not yet.
    expect((await downloadAt(299_000)).size).toBe(50);
    await markAttachmentFetched({ actor: bob.actor, purpose, id, deviceRowId: bob.devices[0]!, now: at(299_000) });

    expect((await refusal(downloadAt(300_000))).code).toBe("NOT_FOUND");
    await sweepExpiredAttachments({ actor: system("test"), purpose, now: at(299_999) });
    expect(existsSync(blobFileOf(id))).toBe(true);
    await sweepExpiredAttachments({ actor: system("test"), purpose, now: at(300_000) });
    expect(await db().chatAttachment.count({ where: { id } })).toBe(0);
    expect(existsSync(blobFileOf(id))).toBe(false);
  });

  it("goes with its uploader's account, blob files included", async () => {
    const { alice, bob, recipients } = await aliceAndBob();
    const complete = await upload(alice.actor, bytes(300), recipients);
    const { id: partial } = await createAttachmentUpload({ actor: alice.actor, purpose, size: 300, recipientDeviceRowIds: recipients });
    await appendAttachmentBytes({ actor: alice.actor, purpose, id: partial, offset: 0, bytes: bytes(100) });
    const bobs = await upload(bob.actor, bytes(300), [alice.devices[0]!, bob.devices[1]!]);
    for (const id of [complete, partial, bobs]) expect(existsSync(blobFileOf(id))).toBe(true);

    await purgeAccountCompletely(alice.id);
    for (const id of [complete, partial]) expect(existsSync(blobFileOf(id))).toBe(false);
    expect(await db().chatAttachment.count({ where: { id: { in: [complete, partial] } } })).toBe(0);
    // Bob's upload stays for his other device.
    expect(existsSync(blobFileOf(bobs))).toBe(true);
    expect((await download(bob.actor, bobs, bob.devices[1]!)).size).toBe(300);
  });
});
