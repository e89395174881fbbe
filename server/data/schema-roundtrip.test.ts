// Proves prisma/migrations and the Prisma schema agree: on a freshly migrated database the tables
// are exactly the models' tables with exactly their columns, and every model round-trips through
// Prisma Client. A model added without a fixture here fails the first test.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase } from "../testing/scratch-database";
import { applyMigrations } from "./migrations/apply-migrations";
import { type Prisma, PrismaClient } from "./generated/prisma/client";

type ModelName = Prisma.ModelName;

interface RuntimeField {
  name: string;
  kind: string;
  dbName?: string | null;
}
interface RuntimeModel {
  dbName: string | null;
  fields: RuntimeField[];
}

let prisma: PrismaClient;
let dropDatabase: () => Promise<void>;
let databaseUrl: string;

beforeAll(async () => {
  const scratch = await createScratchDatabase();
  dropDatabase = scratch.drop;
  databaseUrl = scratch.url;
  await applyMigrations({ databaseUrl, migrationsDir: "prisma/migrations" });
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
});

afterAll(async () => {
  await prisma.$disconnect();
  await dropDatabase();
});

function runtimeModels(): Record<string, RuntimeModel> {
  // The generated client carries its data model; reading it is how the test stays generic.
  const config = (prisma as unknown as { _runtimeDataModel: { models: Record<string, RuntimeModel> } })._runtimeDataModel;
  return config.models;
}

const userId = "0193a8a0-0000-7000-8000-000000000001";
const otherId = "0193a8a0-0000-7000-8000-000000000002";
const postId = "0193a8a0-0000-7000-8000-0000000000a1";
const mediaId = "0193a8a0-0000-7000-8000-0000000000b1";
const storyId = "0193a8a0-0000-7000-8000-0000000000c1";
const chatDeviceId = "0193a8a0-0000-7000-8000-0000000000d1";
const chatEnvelopeId = "0193a8a0-0000-7000-8000-0000000000d2";
const chatAttachmentId = "0193a8a0-0000-7000-8000-0000000000d3";
const now = new Date("2026-11-22T10:00:00.000Z");
const byUserAndPost = { userId_postId: { userId, postId } };

/** One row per model, created in dependency order, read back and compared field by field. */
const fixtures: Record<ModelName, { create: () => Promise<Record<string, unknown>>; read: () => Promise<unknown> }> = {
  User: {
    create: () =>
      prisma.user.create({
        data: {
          id: userId,
          handle: "round_trip",
          email: "rt@example.org",
          passwordHash: "$argon2id$x",
          displayName: "Round Trip",
          locale: "de",
          createdAt: now,
        },
      }),
    read: () => prisma.user.findUniqueOrThrow({ where: { id: userId } }),
  },
  Profile: {
    create: async () => {
      await prisma.user.create({ data: { id: otherId, handle: "other", email: "o@example.org", passwordHash: "x", displayName: "Other" } });
      return prisma.profile.create({ data: { userId, bio: "Hello", isProtected: true } });
    },
    read: () => prisma.profile.findUniqueOrThrow({ where: { userId } }),
  },
  Post: {
    create: () =>
      prisma.post.create({
        data: { id: postId, authorId: userId, text: "Hi #tea", contentWarning: "cw", rootId: postId, replyToAuthorId: otherId, createdAt: now, editedAt: now },
      }),
    read: () => prisma.post.findUniqueOrThrow({ where: { id: postId } }),
  },
  PostEdit: {
    create: () => prisma.postEdit.create({ data: { postId, text: "Hi", contentWarning: null, writtenAt: now } }),
    read: () => prisma.postEdit.findFirstOrThrow({ where: { postId } }),
  },
  Media: {
    create: () =>
      prisma.media.create({
        data: {
          id: mediaId,
          ownerId: userId,
          storageKey: "abc123",
          mimeType: "image/webp",
          width: 10,
          height: 20,
          bytes: 300,
          altText: "A cat",
          createdAt: now,
        },
      }),
    read: () => prisma.media.findUniqueOrThrow({ where: { id: mediaId } }),
  },
  Like: {
    create: () => prisma.like.create({ data: { userId, postId, createdAt: now } }),
    read: () => prisma.like.findUniqueOrThrow({ where: byUserAndPost }),
  },
  Repost: {
    create: () => prisma.repost.create({ data: { userId, postId, createdAt: now } }),
    read: () => prisma.repost.findUniqueOrThrow({ where: byUserAndPost }),
  },
  Bookmark: {
    create: () => prisma.bookmark.create({ data: { userId, postId, createdAt: now } }),
    read: () => prisma.bookmark.findUniqueOrThrow({ where: byUserAndPost }),
  },
  PostHashtag: {
    create: () => prisma.postHashtag.create({ data: { postId, tag: "tea", createdAt: now } }),
    read: () => prisma.postHashtag.findUniqueOrThrow({ where: { postId_tag: { postId, tag: "tea" } } }),
  },
  PostMention: {
    create: () => prisma.postMention.create({ data: { postId, userId: otherId } }),
    read: () => prisma.postMention.findUniqueOrThrow({ where: { postId_userId: { postId, userId: otherId } } }),
  },
  Follow: {
    create: () => prisma.follow.create({ data: { followerId: otherId, followeeId: userId, createdAt: now } }),
    read: () => prisma.follow.findUniqueOrThrow({ where: { followerId_followeeId: { followerId: otherId, followeeId: userId } } }),
  },
  FollowRequest: {
    create: () => prisma.followRequest.create({ data: { requesterId: userId, targetId: otherId, createdAt: now } }),
    read: () => prisma.followRequest.findUniqueOrThrow({ where: { requesterId_targetId: { requesterId: userId, targetId: otherId } } }),
  },
  Block: {
    create: () => prisma.block.create({ data: { blockerId: userId, blockedId: otherId, createdAt: now } }),
    read: () => prisma.block.findUniqueOrThrow({ where: { blockerId_blockedId: { blockerId: userId, blockedId: otherId } } }),
  },
  Mute: {
    create: () => prisma.mute.create({ data: { muterId: userId, mutedId: otherId, createdAt: now } }),
    read: () => prisma.mute.findUniqueOrThrow({ where: { muterId_mutedId: { muterId: userId, mutedId: otherId } } }),
  },
  // The home_feed triggers already made the user's feed when the user was inserted.
  HomeFeed: {
    create: () => prisma.homeFeed.upsert({ where: { ownerId: userId }, create: { ownerId: userId, completeSince: now }, update: { completeSince: now } }),
    read: () => prisma.homeFeed.findUniqueOrThrow({ where: { ownerId: userId } }),
  },
  HomeFeedEntry: {
    create: () => prisma.homeFeedEntry.create({ data: { ownerId: userId, postId, reposterId: otherId, sourceId: otherId, sortAt: now } }),
    read: () => prisma.homeFeedEntry.findUniqueOrThrow({ where: { ownerId_postId_reposterId: { ownerId: userId, postId, reposterId: otherId } } }),
  },
  Notification: {
    create: () => prisma.notification.create({ data: { recipientId: userId, actorId: otherId, kind: "follow_request", postId, createdAt: now, readAt: now } }),
    read: () => prisma.notification.findFirstOrThrow({ where: { recipientId: userId } }),
  },
  Story: {
    create: () => prisma.story.create({ data: { id: storyId, authorId: userId, text: "Today", mediaId, createdAt: now, expiresAt: now } }),
    read: () => prisma.story.findUniqueOrThrow({ where: { id: storyId } }),
  },
  StoryView: {
    create: () => prisma.storyView.create({ data: { storyId, viewerId: otherId, viewedAt: now } }),
    read: () => prisma.storyView.findUniqueOrThrow({ where: { storyId_viewerId: { storyId, viewerId: otherId } } }),
  },
  ConsentEvent: {
    create: () =>
      prisma.consentEvent.create({ data: { userId, purpose: "presence_sharing", granted: true, policyVersion: 1, source: "test", createdAt: now } }),
    read: () => prisma.consentEvent.findFirstOrThrow({ where: { userId } }),
  },
  AccessLogEntry: {
    create: () =>
      prisma.accessLogEntry.create({
        data: {
          subjectId: userId,
          accessor: "person",
          action: "found_by_email",
          detail: "@someone",
          purpose: "presence_sharing",
          categories: ["activity times"],
          createdAt: now,
        },
      }),
    read: () => prisma.accessLogEntry.findFirstOrThrow({ where: { subjectId: userId } }),
  },
  Presence: {
    create: () => prisma.presence.create({ data: { userId, lastActiveAt: now } }),
    read: () => prisma.presence.findUniqueOrThrow({ where: { userId } }),
  },
  DailyCount: {
    create: () => prisma.dailyCount.create({ data: { day: new Date("2026-11-22T00:00:00Z"), metric: "active_people", count: 3 } }),
    read: () => prisma.dailyCount.findUniqueOrThrow({ where: { day_metric: { day: new Date("2026-11-22T00:00:00Z"), metric: "active_people" } } }),
  },
  ExportJob: {
    create: () =>
      prisma.exportJob.create({
        data: { userId, status: "ready", progress: 100, storageKey: "export-1", bytes: 1234n, error: null, createdAt: now, finishedAt: now, expiresAt: now },
      }),
    read: () => prisma.exportJob.findFirstOrThrow({ where: { userId } }),
  },
  Session: {
    create: () =>
      prisma.session.create({
        data: { id: "a".repeat(64), userId, deviceLabel: "Firefox on Linux", createdAt: now, lastUsedAt: now, expiresAt: new Date(now.getTime() + 1000) },
      }),
    read: () => prisma.session.findUniqueOrThrow({ where: { id: "a".repeat(64) } }),
  },
  Passkey: {
    create: () =>
      prisma.passkey.create({
        data: {
          userId,
          credentialId: "Y3JlZGVudGlhbA",
          publicKey: new Uint8Array([0xa5, 1, 2]),
          counter: 7n,
          transports: ["internal", "hybrid"],
          deviceType: "multiDevice",
          backedUp: true,
          name: "Laptop",
          createdAt: now,
          lastUsedAt: now,
        },
      }),
    read: () => prisma.passkey.findUniqueOrThrow({ where: { credentialId: "Y3JlZGVudGlhbA" } }),
  },
  WebAuthnChallenge: {
    create: () =>
      prisma.webAuthnChallenge.create({
        data: { id: "c".repeat(64), kind: "registration", sessionId: "a".repeat(64), expiresAt: new Date(now.getTime() + 1000) },
      }),
    read: () => prisma.webAuthnChallenge.findUniqueOrThrow({ where: { id: "c".repeat(64) } }),
  },
  TwoFactor: {
    create: () =>
      prisma.twoFactor.create({ data: { userId, sealedSecret: new Uint8Array([9, 8, 7]), enabledAt: now, lastUsedStep: 59_000_000n, createdAt: now } }),
    read: () => prisma.twoFactor.findUniqueOrThrow({ where: { userId } }),
  },
  RecoveryCode: {
    create: () => prisma.recoveryCode.create({ data: { userId, codeHash: "d".repeat(64), createdAt: now } }),
    read: () => prisma.recoveryCode.findUniqueOrThrow({ where: { userId_codeHash: { userId, codeHash: "d".repeat(64) } } }),
  },
  PendingLogIn: {
    create: () => prisma.pendingLogIn.create({ data: { id: "e".repeat(64), userId, failedAttempts: 2, expiresAt: new Date(now.getTime() + 1000) } }),
    read: () => prisma.pendingLogIn.findUniqueOrThrow({ where: { id: "e".repeat(64) } }),
  },
  AccountToken: {
    create: () =>
      prisma.accountToken.create({
        data: {
          id: "b".repeat(64),
          userId,
          purpose: "reset_password",
          email: "someone@example.org",
          createdAt: now,
          expiresAt: new Date(now.getTime() + 1000),
        },
      }),
    read: () => prisma.accountToken.findUniqueOrThrow({ where: { id: "b".repeat(64) } }),
  },
  RateLimitWindow: {
    create: () => prisma.rateLimitWindow.create({ data: { key: "login:ip:abc", windowStart: now, hits: 3 } }),
    read: () => prisma.rateLimitWindow.findUniqueOrThrow({ where: { key: "login:ip:abc" } }),
  },
  ChatDevice: {
    create: () =>
      prisma.chatDevice.create({
        data: {
          id: chatDeviceId,
          userId,
          deviceId: 1,
          identityKey: new Uint8Array([6, 1, 2]),
          linkSignature: new Uint8Array([9]),
          createdAt: now,
          revokedAt: now,
        },
      }),
    read: () => prisma.chatDevice.findUniqueOrThrow({ where: { id: chatDeviceId } }),
  },
  ChatSignedPreKey: {
    create: () =>
      prisma.chatSignedPreKey.create({
        data: { deviceRowId: chatDeviceId, keyId: 4_294_967_295n, publicKey: new Uint8Array([5, 1]), signature: new Uint8Array([7]), createdAt: now },
      }),
    read: () => prisma.chatSignedPreKey.findUniqueOrThrow({ where: { deviceRowId_keyId: { deviceRowId: chatDeviceId, keyId: 4_294_967_295n } } }),
  },
  ChatOneTimePreKey: {
    create: () => prisma.chatOneTimePreKey.create({ data: { deviceRowId: chatDeviceId, keyId: 1n, publicKey: new Uint8Array([5, 2]) } }),
    read: () => prisma.chatOneTimePreKey.findUniqueOrThrow({ where: { deviceRowId_keyId: { deviceRowId: chatDeviceId, keyId: 1n } } }),
  },
  ChatKyberPreKey: {
    create: () =>
      prisma.chatKyberPreKey.create({
        data: { deviceRowId: chatDeviceId, keyId: 2n, publicKey: new Uint8Array([10, 3]), signature: new Uint8Array([8]), lastResort: true, createdAt: now },
      }),
    read: () => prisma.chatKyberPreKey.findUniqueOrThrow({ where: { deviceRowId_keyId: { deviceRowId: chatDeviceId, keyId: 2n } } }),
  },
  ChatDeviceList: {
    create: () => prisma.chatDeviceList.create({ data: { userId, version: 3, signedList: new Uint8Array([1, 2, 3]), updatedAt: now } }),
    read: () => prisma.chatDeviceList.findUniqueOrThrow({ where: { userId } }),
  },
  ChatEnvelope: {
    create: () =>
      prisma.chatEnvelope.create({
        data: {
          id: chatEnvelopeId,
          recipientDeviceId: chatDeviceId,
          dedupKey: new Uint8Array(32).fill(1),
          payload: new Uint8Array([1, 5, 0]),
          createdAt: now,
          expiresAt: now,
        },
      }),
    read: () => prisma.chatEnvelope.findUniqueOrThrow({ where: { id: chatEnvelopeId } }),
  },
  ChatPushSubscription: {
    create: () =>
      prisma.chatPushSubscription.create({
        data: {
          deviceRowId: chatDeviceId,
          endpoint: "https://fcm.googleapis.com/fcm/send/abc",
          p256dh: new Uint8Array(65).fill(4),
          auth: new Uint8Array(16).fill(5),
          locale: "de",
          createdAt: now,
          lastPushedAt: now,
          streamSeenAt: now,
        },
      }),
    read: () => prisma.chatPushSubscription.findUniqueOrThrow({ where: { deviceRowId: chatDeviceId } }),
  },
  ChatStorageSecret: {
    create: () => prisma.chatStorageSecret.create({ data: { userId, secret: new Uint8Array(32).fill(7), createdAt: now } }),
    read: () => prisma.chatStorageSecret.findUniqueOrThrow({ where: { userId } }),
  },
  ChatLinkRequest: {
    create: () =>
      prisma.chatLinkRequest.create({
        data: { lookupId: new Uint8Array(16).fill(3), userId, request: new Uint8Array([1]), response: new Uint8Array([2]), createdAt: now, expiresAt: now },
      }),
    read: () => prisma.chatLinkRequest.findUniqueOrThrow({ where: { lookupId: new Uint8Array(16).fill(3) } }),
  },
  ChatMessageReport: {
    create: () =>
      prisma.chatMessageReport.create({
        data: {
          id: "0193a8a0-0000-7000-8000-0000000000e1",
          reporterId: userId,
          claimedSenderId: otherId,
          messageId: "0193a8a0-0000-7000-8000-0000000000e2",
          body: "a reported message",
          sentAt: now,
          deliveredAt: now,
          frankingTag: new Uint8Array(32).fill(7),
          verdict: "verified",
          reason: "harassment",
          note: "again",
          createdAt: now,
          dismissedAt: now,
        },
      }),
    read: () => prisma.chatMessageReport.findUniqueOrThrow({ where: { id: "0193a8a0-0000-7000-8000-0000000000e1" } }),
  },
  SocialReport: {
    create: () =>
      prisma.socialReport.create({
        data: {
          id: "0193a8a0-0000-7000-8000-0000000000e3",
          reporterId: otherId,
          subjectId: userId,
          postId,
          reason: "spam",
          note: null,
          createdAt: now,
          dismissedAt: null,
        },
      }),
    read: () => prisma.socialReport.findUniqueOrThrow({ where: { id: "0193a8a0-0000-7000-8000-0000000000e3" } }),
  },
  ChatBackup: {
    create: () => prisma.chatBackup.create({ data: { userId, kind: "passphrase", version: 2, blob: new Uint8Array([4, 5, 6]), updatedAt: now } }),
    read: () => prisma.chatBackup.findUniqueOrThrow({ where: { userId_kind: { userId, kind: "passphrase" } } }),
  },
  ChatAttachment: {
    create: () =>
      prisma.chatAttachment.create({
        data: { id: chatAttachmentId, uploaderId: userId, size: 110_000_000, received: 1_000, createdAt: now, completedAt: now, expiresAt: now },
      }),
    read: () => prisma.chatAttachment.findUniqueOrThrow({ where: { id: chatAttachmentId } }),
  },
  ChatAttachmentRecipient: {
    create: () => prisma.chatAttachmentRecipient.create({ data: { attachmentId: chatAttachmentId, deviceRowId: chatDeviceId, fetchedAt: now } }),
    read: () =>
      prisma.chatAttachmentRecipient.findUniqueOrThrow({ where: { attachmentId_deviceRowId: { attachmentId: chatAttachmentId, deviceRowId: chatDeviceId } } }),
  },
};

describe("the migrations and schema.prisma", () => {
  it("create exactly the tables and columns the models declare", async () => {
    const models = runtimeModels();
    expect(Object.keys(fixtures).sort()).toEqual(Object.keys(models).sort());

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    await client.end();
    const actual = new Map<string, string[]>();
    for (const row of rows) actual.set(row.table_name, [...(actual.get(row.table_name) ?? []), row.column_name]);

    const expected = new Map<string, string[]>();
    for (const [name, model] of Object.entries(models)) {
      const columns = model.fields.filter((f) => f.kind === "scalar" || f.kind === "enum").map((f) => f.dbName ?? f.name);
      expected.set(model.dbName ?? name, columns);
    }
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [table, columns] of expected) expect(actual.get(table)?.sort(), table).toEqual(columns.sort());
  });

  it("round-trip every model through Prisma Client", async () => {
    for (const [name, fixture] of Object.entries(fixtures)) {
      const created = await fixture.create();
      expect(await fixture.read(), name).toEqual(created);
    }
  });
});
