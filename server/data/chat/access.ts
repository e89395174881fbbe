// Who may reach whom in the chat module. Blocks are read from the `blocks` table directly: the
// chat module imports nothing from the social one, but a block made there holds here too.
import "server-only";
import { AppError } from "../../errors";
import type { PersonActor } from "../actor";
import { blockAccount } from "../block-account";
import { db, type Prisma } from "../db";

type Client = Prisma.TransactionClient;

/**
 * @throws AppError FORBIDDEN unless the device is one of the user's active devices (the same answer
 * for another account's device and for no device, so ids cannot be probed)
 */
export async function requireOwnActiveDevice(client: Client, userId: string, deviceRowId: string): Promise<void> {
  const device = await client.chatDevice.findFirst({ where: { id: deviceRowId, userId, revokedAt: null }, select: { id: true } });
  if (!device) throw new AppError("FORBIDDEN", "That is not one of your active devices.");
}

/**
 * @throws AppError FORBIDDEN unless the device is one of the actor's active devices
 */
export async function requireOwnDevice(options: { actor: PersonActor; purpose: "core.messaging"; deviceRowId: string }): Promise<void> {
  await requireOwnActiveDevice(db(), options.actor.userId, options.deviceRowId);
}

/** Whom a request is about: a handle a person typed, or the user id a message arrived with. */
export type ChatPeerRef = { handle: string } | { userId: string };

function peerWhere(peer: ChatPeerRef): Prisma.UserWhereInput {
  return "handle" in peer ? { handle: peer.handle.toLowerCase() } : { id: peer.userId };
}

/**
 * The active account named by `peer`, if `actor` may message it.
 * @throws AppError NOT_FOUND for an unknown or deactivated account; BLOCKED when either side blocked the other
 */
export async function resolveChatPeer(options: { actor: PersonActor; peer: ChatPeerRef }): Promise<{ id: string }> {
  const peer = await db().user.findFirst({ where: { ...peerWhere(options.peer), deactivatedAt: null }, select: { id: true } });
  if (!peer) throw new AppError("NOT_FOUND", "No such account.");
  await refuseIfBlocked(db(), options.actor.userId, [peer.id]);
  return peer;
}

/** Active accounts with no block between them and the viewer, either way: who the chat shows to the viewer. */
export function visibleInChatTo(viewerId: string): Prisma.UserWhereInput {
  return {
    deactivatedAt: null,
    blocksMade: { none: { blockedId: viewerId } },
    blocksReceived: { none: { blockerId: viewerId } },
  };
}

/** @throws AppError BLOCKED when the viewer and any of `userIds` (other than the viewer) blocked one another */
export async function refuseIfBlocked(client: Client, viewerId: string, userIds: string[]): Promise<void> {
  const others = userIds.filter((id) => id !== viewerId);
  if (!others.length) return;
  const block = await client.block.findFirst({
    where: {
      OR: [
        { blockerId: viewerId, blockedId: { in: others } },
        { blockedId: viewerId, blockerId: { in: others } },
      ],
    },
    select: { blockerId: true },
  });
  if (block) throw new AppError("BLOCKED", "You cannot message this account.");
}

/**
 * Blocks `targetId` for the actor from a message request: Hearth's one block (server/data/block-account.ts),
 * so it holds on the social side too, and their envelopes to the actor are refused from now on.
 * @throws AppError FORBIDDEN (oneself) | NOT_FOUND for an unknown account
 */
export async function blockChatPeer(options: { actor: PersonActor; purpose: "core.messaging"; targetId: string }): Promise<void> {
  if (options.targetId === options.actor.userId) throw new AppError("FORBIDDEN", "You cannot block yourself.");
  await db().$transaction((tx) => blockAccount(tx, options.actor.userId, options.targetId));
}
