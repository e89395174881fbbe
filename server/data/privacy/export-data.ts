// Everything Hearth holds about one person, read for their data export (GDPR Art. 15 and 20).
// Large collections are read in keyset batches so an export never holds them in memory.
import "server-only";
import { pushServiceHost } from "../chat/push-subscriptions";
import { db } from "../db";
import { accessLogEntrySelect, toAccessLogView } from "./access-log";

const BATCH = 500;

/** Yields rows of a table in id order, BATCH at a time. */
async function* batches<T extends { id: string }>(read: (afterId: string | undefined) => Promise<T[]>): AsyncGenerator<T> {
  let after: string | undefined;
  for (;;) {
    const rows = await read(after);
    yield* rows;
    if (rows.length < BATCH) return;
    after = rows.at(-1)!.id;
  }
}

const page = (after: string | undefined) => ({ ...(after ? { id: { gt: after } } : {}) });

export function exportReaders(userId: string) {
  const d = db();
  return {
    profile: async () => {
      const user = await d.user.findUniqueOrThrow({
        where: { id: userId },
        select: {
          id: true,
          handle: true,
          email: true,
          emailVerifiedAt: true,
          pendingEmail: true,
          displayName: true,
          locale: true,
          createdAt: true,
          profile: true,
        },
      });
      return {
        id: user.id,
        handle: user.handle,
        email: user.email,
        // Whether and when the address was confirmed, and an address waiting for its link; never a token.
        email_verified_at: user.emailVerifiedAt,
        pending_email: user.pendingEmail,
        display_name: user.displayName,
        locale: user.locale,
        created_at: user.createdAt,
        bio: user.profile?.bio ?? "",
        is_protected: user.profile?.isProtected ?? false,
        avatar_media_id: user.profile?.avatarMediaId ?? null,
        header_media_id: user.profile?.headerMediaId ?? null,
        pinned_post_id: user.profile?.pinnedPostId ?? null,
      };
    },
    posts: () =>
      batches(async (after) =>
        (
          await d.post.findMany({
            where: { authorId: userId, ...page(after) },
            orderBy: { id: "asc" },
            take: BATCH,
            select: {
              id: true,
              text: true,
              contentWarning: true,
              replyToId: true,
              quoteOfId: true,
              createdAt: true,
              editedAt: true,
              media: { select: { id: true }, orderBy: { position: "asc" } },
              edits: { select: { text: true, contentWarning: true, writtenAt: true }, orderBy: { writtenAt: "asc" } },
            },
          })
        ).map((p) => ({
          id: p.id,
          text: p.text,
          content_warning: p.contentWarning,
          reply_to_id: p.replyToId,
          quote_of_id: p.quoteOfId,
          created_at: p.createdAt,
          edited_at: p.editedAt,
          media_ids: p.media.map((m) => m.id),
          edit_history: p.edits.map((e) => ({ text: e.text, content_warning: e.contentWarning, written_at: e.writtenAt })),
        })),
      ),
    media: () =>
      batches((after) =>
        d.media.findMany({
          where: { ownerId: userId, ...page(after) },
          orderBy: { id: "asc" },
          take: BATCH,
          select: { id: true, storageKey: true, mimeType: true, width: true, height: true, bytes: true, altText: true, postId: true, createdAt: true },
        }),
      ),
    followers: async () =>
      (
        await d.follow.findMany({
          where: { followeeId: userId },
          select: { createdAt: true, follower: { select: { handle: true } } },
          orderBy: { createdAt: "asc" },
        })
      ).map((f) => ({
        handle: f.follower.handle,
        since: f.createdAt,
      })),
    following: async () =>
      (
        await d.follow.findMany({
          where: { followerId: userId },
          select: { createdAt: true, followee: { select: { handle: true } } },
          orderBy: { createdAt: "asc" },
        })
      ).map((f) => ({
        handle: f.followee.handle,
        since: f.createdAt,
      })),
    followRequests: async () => ({
      sent: (await d.followRequest.findMany({ where: { requesterId: userId }, select: { createdAt: true, target: { select: { handle: true } } } })).map(
        (r) => ({ handle: r.target.handle, at: r.createdAt }),
      ),
      received: (await d.followRequest.findMany({ where: { targetId: userId }, select: { createdAt: true, requester: { select: { handle: true } } } })).map(
        (r) => ({ handle: r.requester.handle, at: r.createdAt }),
      ),
    }),
    blocks: async () =>
      (await d.block.findMany({ where: { blockerId: userId }, select: { createdAt: true, blocked: { select: { handle: true } } } })).map((b) => ({
        handle: b.blocked.handle,
        since: b.createdAt,
      })),
    mutes: async () =>
      (await d.mute.findMany({ where: { muterId: userId }, select: { createdAt: true, muted: { select: { handle: true } } } })).map((m) => ({
        handle: m.muted.handle,
        since: m.createdAt,
      })),
    likes: async () =>
      (await d.like.findMany({ where: { userId }, select: { postId: true, createdAt: true }, orderBy: { createdAt: "asc" } })).map((l) => ({
        post_id: l.postId,
        at: l.createdAt,
      })),
    reposts: async () =>
      (await d.repost.findMany({ where: { userId }, select: { postId: true, createdAt: true }, orderBy: { createdAt: "asc" } })).map((r) => ({
        post_id: r.postId,
        at: r.createdAt,
      })),
    bookmarks: async () =>
      (await d.bookmark.findMany({ where: { userId }, select: { postId: true, createdAt: true }, orderBy: { createdAt: "asc" } })).map((b) => ({
        post_id: b.postId,
        at: b.createdAt,
      })),
    notifications: () =>
      batches(async (after) =>
        (
          await d.notification.findMany({
            where: { recipientId: userId, ...page(after) },
            orderBy: { id: "asc" },
            take: BATCH,
            select: { id: true, kind: true, postId: true, createdAt: true, readAt: true, actor: { select: { handle: true } } },
          })
        ).map((n) => ({ id: n.id, kind: n.kind, actor_handle: n.actor.handle, post_id: n.postId, created_at: n.createdAt, read_at: n.readAt })),
      ),
    stories: async () =>
      (
        await d.story.findMany({
          where: { authorId: userId, expiresAt: { gt: new Date() } },
          select: { id: true, text: true, mediaId: true, createdAt: true, expiresAt: true, _count: { select: { views: true } } },
        })
      ).map((s) => ({
        id: s.id,
        text: s.text,
        media_id: s.mediaId,
        created_at: s.createdAt,
        expires_at: s.expiresAt,
        view_count: s._count.views,
      })),
    consentLedger: async () =>
      (
        await d.consentEvent.findMany({
          where: { userId },
          orderBy: { createdAt: "asc" },
          select: { purpose: true, granted: true, policyVersion: true, source: true, createdAt: true },
        })
      ).map((e) => ({
        purpose: e.purpose,
        granted: e.granted,
        policy_version: e.policyVersion,
        source: e.source,
        at: e.createdAt,
      })),
    accessLog: () =>
      batches(async (after) =>
        (await d.accessLogEntry.findMany({ where: { subjectId: userId, ...page(after) }, orderBy: { id: "asc" }, take: BATCH, select: accessLogEntrySelect }))
          .map(toAccessLogView)
          .map((a) => ({ id: a.id, accessor: a.accessor, action: a.action, detail: a.detail, purpose: a.purpose, categories: a.categories, at: a.createdAt })),
      ),
    sessions: async () =>
      (await d.session.findMany({ where: { userId }, select: { deviceLabel: true, createdAt: true, lastUsedAt: true, expiresAt: true } })).map((s) => ({
        device: s.deviceLabel,
        created_at: s.createdAt,
        last_used_at: s.lastUsedAt,
        expires_at: s.expiresAt,
      })),
    devices: async () =>
      (
        await d.chatDevice.findMany({
          where: { userId },
          orderBy: { deviceId: "asc" },
          select: { id: true, deviceId: true, identityKey: true, createdAt: true },
        })
      ).map((device) => ({
        id: device.id,
        name: `Device ${device.deviceId}`,
        identity_key: Buffer.from(device.identityKey).toString("base64url"),
        created_at: device.createdAt,
      })),
    /**
     * Where the person's devices are woken while Hearth is closed: the push service's host, never the
     * rest of the address (a capability to wake the device) nor its keys.
     */
    pushSubscriptions: async () =>
      (
        await d.chatPushSubscription.findMany({
          where: { device: { userId } },
          orderBy: { createdAt: "asc" },
          select: { endpoint: true, locale: true, createdAt: true, lastPushedAt: true, device: { select: { id: true, deviceId: true } } },
        })
      ).map((s) => ({
        device: s.device.id,
        device_name: `Device ${s.device.deviceId}`,
        push_service: pushServiceHost(s.endpoint),
        language: s.locale,
        created_at: s.createdAt,
        last_wakeup_at: s.lastPushedAt,
      })),
    /** The person's encrypted chat backups: what the server knows of them, never the sealed blob itself. */
    chatBackups: async () =>
      (
        await d.$queryRaw<{ kind: string; version: number; bytes: number; updated_at: Date }[]>`
          SELECT kind, version, octet_length(blob) AS bytes, updated_at FROM chat_backups WHERE user_id = ${userId}::uuid ORDER BY kind`
      ).map((b) => ({ kind: b.kind, version: b.version, bytes: b.bytes, updated_at: b.updated_at })),
    /** What the server keeps about messages waiting for the person's devices: never who sent them or what they say. */
    messageMetadata: () =>
      batches(async (after) =>
        (
          await d.chatEnvelope.findMany({
            where: { recipientDevice: { userId }, ...page(after) },
            orderBy: { id: "asc" },
            take: BATCH,
            select: { id: true, recipientDeviceId: true, payload: true, createdAt: true },
          })
        ).map((e) => ({ id: e.id, recipient_device: e.recipientDeviceId, size_bucket: e.payload.length, stored_at: e.createdAt })),
      ),
    /** How the person logs in: passkey names and dates, two-factor on or off. Never a key, secret or code. */
    security: async () => {
      const [passkeys, twoFactor, recoveryCodesLeft] = await Promise.all([
        d.passkey.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { name: true, createdAt: true, lastUsedAt: true, backedUp: true } }),
        d.twoFactor.findUnique({ where: { userId }, select: { enabledAt: true } }),
        d.recoveryCode.count({ where: { userId } }),
      ]);
      const enabledAt = twoFactor?.enabledAt ?? null;
      return {
        passkeys: passkeys.map((p) => ({ name: p.name, created_at: p.createdAt, last_used_at: p.lastUsedAt, synced: p.backedUp })),
        two_factor: { enabled: enabledAt !== null, enabled_at: enabledAt, recovery_codes_left: enabledAt ? recoveryCodesLeft : 0 },
      };
    },
    presence: async () => {
      const row = await d.presence.findUnique({ where: { userId } });
      return { last_active_at: row?.lastActiveAt ?? null };
    },
  };
}

export type ExportReaders = ReturnType<typeof exportReaders>;
