// Notifications, grouped for reading ("3 people liked your post"). Mutes and blocks silence
// them at read time, so muting someone also quiets what they did before.
import "server-only";
import type { PersonActor } from "../actor";
import { db, type Prisma } from "../db";
import type { NotificationKind } from "../generated/prisma/enums";
import { authorSelect, loadPostViews, toAuthorView, type AuthorView, type PostView } from "./post-views";
import { notBlockedWith } from "./visibility";

export type { NotificationKind };

export interface NotificationGroup {
  key: string;
  kind: NotificationKind;
  /** The most recent actors first, at most three. */
  actors: AuthorView[];
  actorCount: number;
  post: PostView | null;
  latestAt: Date;
  unread: boolean;
}

/** Likes, reposts and follows group; replies, quotes, mentions and requests stand alone. */
const GROUPED: ReadonlySet<NotificationKind> = new Set(["like", "repost", "follow"]);
const WINDOW = 300;

function audible(viewerId: string): Prisma.NotificationWhereInput {
  return { recipientId: viewerId, actor: { ...notBlockedWith(viewerId), mutesReceived: { none: { muterId: viewerId } } } };
}

export async function listNotificationGroups(options: { actor: PersonActor; purpose: "core.notifications" }): Promise<NotificationGroup[]> {
  const viewerId = options.actor.userId;
  const rows = await db().notification.findMany({
    where: audible(viewerId),
    orderBy: { createdAt: "desc" },
    take: WINDOW,
    select: { id: true, kind: true, postId: true, createdAt: true, readAt: true, actor: { select: authorSelect } },
  });
  const groups = new Map<string, { kind: NotificationKind; postId: string | null; rows: typeof rows }>();
  for (const row of rows) {
    const key = GROUPED.has(row.kind) ? `${row.kind}:${row.postId ?? ""}` : row.id;
    const group = groups.get(key) ?? { kind: row.kind, postId: row.postId, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  const posts = await loadPostViews({ viewerId, postIds: [...groups.values()].flatMap((g) => (g.postId ? [g.postId] : [])) });
  const result: NotificationGroup[] = [];
  for (const [key, group] of groups) {
    const post = group.postId ? (posts.get(group.postId) ?? null) : null;
    if (group.postId && !post) continue;
    const actors = new Map<string, AuthorView>();
    for (const row of group.rows) if (!actors.has(row.actor.id)) actors.set(row.actor.id, toAuthorView(row.actor));
    result.push({
      key,
      kind: group.kind,
      actors: [...actors.values()].slice(0, 3),
      actorCount: actors.size,
      post,
      latestAt: group.rows[0]!.createdAt,
      unread: group.rows.some((r) => r.readAt === null),
    });
  }
  return result;
}

export async function countUnreadNotifications(options: { actor: PersonActor; purpose: "core.notifications" }): Promise<number> {
  return db().notification.count({ where: { ...audible(options.actor.userId), readAt: null } });
}

export async function markNotificationsRead(options: { actor: PersonActor; purpose: "core.notifications"; now?: Date }): Promise<number> {
  const { count } = await db().notification.updateMany({
    where: { recipientId: options.actor.userId, readAt: null },
    data: { readAt: options.now ?? new Date() },
  });
  return count;
}
