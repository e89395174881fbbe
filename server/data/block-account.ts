// A block, as both modules make it: the social side's "Block" and the chat's "Block" on a message
// request write the same rows, so a block made in either holds in both (the chat module may not
// import the social one, so this lives beside them).
import "server-only";
import { AppError } from "../errors";
import type { Prisma } from "./db";

/**
 * Blocks `blockedId` for `blockerId` inside `tx`: ends follows and follow requests both ways and
 * removes their notifications to each other.
 * @throws AppError NOT_FOUND for an unknown account
 */
export async function blockAccount(tx: Prisma.TransactionClient, blockerId: string, blockedId: string): Promise<void> {
  if (!(await tx.user.count({ where: { id: blockedId } }))) throw new AppError("NOT_FOUND", "No such account.");
  await tx.block.createMany({ data: [{ blockerId, blockedId }], skipDuplicates: true });
  const between = [
    { a: blockerId, b: blockedId },
    { a: blockedId, b: blockerId },
  ];
  for (const { a, b } of between) {
    await tx.follow.deleteMany({ where: { followerId: a, followeeId: b } });
    await tx.followRequest.deleteMany({ where: { requesterId: a, targetId: b } });
    await tx.notification.deleteMany({ where: { actorId: a, recipientId: b } });
  }
}
