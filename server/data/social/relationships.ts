// Follows, follow requests (for protected accounts), blocks and mutes between two people.
import "server-only";
import { AppError } from "../../errors";
import type { PersonActor } from "../actor";
import { blockAccount } from "../block-account";
import { db, type Prisma } from "../db";

type Tx = Prisma.TransactionClient;

export interface Relationship {
  following: boolean;
  followRequested: boolean;
  followedBy: boolean;
  blocking: boolean;
  blockedBy: boolean;
  muting: boolean;
}

export async function getRelationship(options: { actor: PersonActor; purpose: "core.relationships"; otherId: string }): Promise<Relationship> {
  const me = options.actor.userId;
  const other = options.otherId;
  const [following, followRequested, followedBy, blocking, blockedBy, muting] = await Promise.all([
    db().follow.count({ where: { followerId: me, followeeId: other } }),
    db().followRequest.count({ where: { requesterId: me, targetId: other } }),
    db().follow.count({ where: { followerId: other, followeeId: me } }),
    db().block.count({ where: { blockerId: me, blockedId: other } }),
    db().block.count({ where: { blockerId: other, blockedId: me } }),
    db().mute.count({ where: { muterId: me, mutedId: other } }),
  ]);
  return {
    following: following > 0,
    followRequested: followRequested > 0,
    followedBy: followedBy > 0,
    blocking: blocking > 0,
    blockedBy: blockedBy > 0,
    muting: muting > 0,
  };
}

async function assertNotBlocked(tx: Tx, a: string, b: string): Promise<void> {
  const blocks = await tx.block.count({
    where: {
      OR: [
        { blockerId: a, blockedId: b },
        { blockerId: b, blockedId: a },
      ],
    },
  });
  if (blocks > 0) throw new AppError("BLOCKED", "You cannot interact with this account.");
}

/**
 * Follows an account, or asks to when it is protected.
 * @throws AppError NOT_FOUND | FORBIDDEN (oneself) | BLOCKED
 */
export async function follow(options: { actor: PersonActor; purpose: "core.relationships"; targetId: string }): Promise<{ state: "following" | "requested" }> {
  const me = options.actor.userId;
  if (me === options.targetId) throw new AppError("FORBIDDEN", "You cannot follow yourself.");
  return db().$transaction(async (tx) => {
    const target = await tx.user.findUnique({ where: { id: options.targetId }, select: { profile: { select: { isProtected: true } } } });
    if (!target) throw new AppError("NOT_FOUND", "No such account.");
    await assertNotBlocked(tx, me, options.targetId);
    if (await tx.follow.count({ where: { followerId: me, followeeId: options.targetId } })) return { state: "following" as const };
    if (target.profile?.isProtected) {
      const created = await tx.followRequest.createMany({ data: [{ requesterId: me, targetId: options.targetId }], skipDuplicates: true });
      if (created.count) await tx.notification.create({ data: { recipientId: options.targetId, actorId: me, kind: "follow_request" } });
      return { state: "requested" as const };
    }
    await tx.follow.create({ data: { followerId: me, followeeId: options.targetId } });
    await tx.notification.create({ data: { recipientId: options.targetId, actorId: me, kind: "follow" } });
    return { state: "following" as const };
  });
}

/** Stops following, or withdraws a pending request. */
export async function unfollow(options: { actor: PersonActor; purpose: "core.relationships"; targetId: string }): Promise<void> {
  const me = options.actor.userId;
  await db().$transaction([
    db().follow.deleteMany({ where: { followerId: me, followeeId: options.targetId } }),
    db().followRequest.deleteMany({ where: { requesterId: me, targetId: options.targetId } }),
    db().notification.deleteMany({ where: { actorId: me, recipientId: options.targetId, kind: "follow_request" } }),
  ]);
}

/** Approves or declines a request to follow the actor. @throws AppError NOT_FOUND */
export async function answerFollowRequest(options: {
  actor: PersonActor;
  purpose: "core.relationships";
  requesterId: string;
  approve: boolean;
}): Promise<void> {
  const me = options.actor.userId;
  await db().$transaction(async (tx) => {
    const { count } = await tx.followRequest.deleteMany({ where: { requesterId: options.requesterId, targetId: me } });
    if (!count) throw new AppError("NOT_FOUND", "No such follow request.");
    await tx.notification.deleteMany({ where: { actorId: options.requesterId, recipientId: me, kind: "follow_request" } });
    if (options.approve) {
      await tx.follow.createMany({ data: [{ followerId: options.requesterId, followeeId: me }], skipDuplicates: true });
      await tx.notification.create({ data: { recipientId: me, actorId: options.requesterId, kind: "follow" } });
    }
  });
}

export async function listFollowRequests(options: { actor: PersonActor; purpose: "core.relationships" }) {
  return db().followRequest.findMany({
    where: { targetId: options.actor.userId },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: {
      createdAt: true,
      requester: { select: { id: true, handle: true, displayName: true, profile: { select: { avatarMediaId: true, isProtected: true } } } },
    },
  });
}

/**
 * Blocks an account: ends follows and requests both ways and removes their notifications to
 * each other. @throws AppError NOT_FOUND | FORBIDDEN (oneself)
 */
export async function setBlock(options: { actor: PersonActor; purpose: "core.relationships"; targetId: string; blocked: boolean }): Promise<void> {
  const me = options.actor.userId;
  const other = options.targetId;
  if (me === other) throw new AppError("FORBIDDEN", "You cannot block yourself.");
  await db().$transaction(async (tx) => {
    if (!options.blocked) {
      await tx.block.deleteMany({ where: { blockerId: me, blockedId: other } });
      return;
    }
    await blockAccount(tx, me, other);
  });
}

/** @throws AppError NOT_FOUND | FORBIDDEN (oneself) */
export async function setMute(options: { actor: PersonActor; purpose: "core.relationships"; targetId: string; muted: boolean }): Promise<void> {
  const me = options.actor.userId;
  if (me === options.targetId) throw new AppError("FORBIDDEN", "You cannot mute yourself.");
  if (!options.muted) {
    await db().mute.deleteMany({ where: { muterId: me, mutedId: options.targetId } });
    return;
  }
  if (!(await db().user.count({ where: { id: options.targetId } }))) throw new AppError("NOT_FOUND", "No such account.");
  await db().mute.createMany({ data: [{ muterId: me, mutedId: options.targetId }], skipDuplicates: true });
}
