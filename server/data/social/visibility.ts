// Who may see whose content. The rules, in one place:
// - blocks hide two people from each other in both directions, everywhere;
// - a protected account's posts, media and stories are seen only by itself and its followers;
// - a deactivated account (deleted, waiting for its purge) is invisible to everyone;
// - mutes are not visibility: they only quiet the muter's timeline and notifications.
import "server-only";
import { Prisma } from "../db";

/** Prisma filter on a User (as author) that keeps only authors whose posts `viewerId` may see. */
export function authorVisibleTo(viewerId: string): Prisma.UserWhereInput {
  return {
    deactivatedAt: null,
    blocksMade: { none: { blockedId: viewerId } },
    blocksReceived: { none: { blockerId: viewerId } },
    OR: [{ id: viewerId }, { profile: { isProtected: false } }, { followers: { some: { followerId: viewerId } } }],
  };
}

/** Prisma filter on a User that hides deactivated people and those blocked with the viewer. */
export function notBlockedWith(viewerId: string): Prisma.UserWhereInput {
  return {
    deactivatedAt: null,
    blocksMade: { none: { blockedId: viewerId } },
    blocksReceived: { none: { blockerId: viewerId } },
  };
}

/** Prisma filter on a Post that keeps only posts `viewerId` may see. */
export function postVisibleTo(viewerId: string): Prisma.PostWhereInput {
  return { author: authorVisibleTo(viewerId) };
}

/** The same rule in SQL, for hand-written queries: `author` is the author id expression. */
export function sqlAuthorVisibleTo(viewerId: string, author: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    NOT EXISTS (SELECT 1 FROM users du WHERE du.id = ${author} AND du.deactivated_at IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = ${author} AND b.blocked_id = ${viewerId}::uuid)
                                          OR (b.blocker_id = ${viewerId}::uuid AND b.blocked_id = ${author}))
    AND (${author} = ${viewerId}::uuid
         OR NOT (SELECT pr.is_protected FROM profiles pr WHERE pr.user_id = ${author})
         OR EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ${viewerId}::uuid AND f.followee_id = ${author})))`;
}
