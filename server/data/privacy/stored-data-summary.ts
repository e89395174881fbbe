// "What Hearth stores about you": counts per category, for the privacy dashboard.
import "server-only";
import type { PersonActor } from "../actor";
import { db } from "../db";

export async function summarizeStoredData(options: { actor: PersonActor; purpose: "core.privacy" }) {
  const userId = options.actor.userId;
  const d = db();
  const [
    posts,
    media,
    likes,
    reposts,
    bookmarks,
    following,
    followers,
    blocks,
    mutes,
    notifications,
    sessions,
    stories,
    consentEvents,
    accessLog,
    exports,
    presence,
    chatDevices,
    pushSubscriptions,
    pendingMessages,
  ] = await Promise.all([
    d.post.count({ where: { authorId: userId } }),
    d.media.count({ where: { ownerId: userId } }),
    d.like.count({ where: { userId } }),
    d.repost.count({ where: { userId } }),
    d.bookmark.count({ where: { userId } }),
    d.follow.count({ where: { followerId: userId } }),
    d.follow.count({ where: { followeeId: userId } }),
    d.block.count({ where: { blockerId: userId } }),
    d.mute.count({ where: { muterId: userId } }),
    d.notification.count({ where: { recipientId: userId } }),
    d.session.count({ where: { userId } }),
    d.story.count({ where: { authorId: userId } }),
    d.consentEvent.count({ where: { userId } }),
    d.accessLogEntry.count({ where: { subjectId: userId } }),
    d.exportJob.count({ where: { userId } }),
    d.presence.count({ where: { userId } }),
    d.chatDevice.count({ where: { userId } }),
    d.chatPushSubscription.count({ where: { device: { userId } } }),
    d.chatEnvelope.count({ where: { recipientDevice: { userId } } }),
  ]);
  return {
    account: 1,
    posts,
    media,
    likes,
    reposts,
    bookmarks,
    following,
    followers,
    blocks,
    mutes,
    notifications,
    sessions,
    stories,
    consentEvents,
    accessLog,
    exports,
    presence,
    chatDevices,
    pushSubscriptions,
    pendingMessages,
  };
}

export type StoredDataSummary = Awaited<ReturnType<typeof summarizeStoredData>>;
