// Notifications, grouped for reading ("3 people liked your post"). Mutes and blocks silence
// them at read time, so muting someone also quiets what they did before. The unread badge counts
// the page's own unread groups, from the same rows, so the two never disagree.
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

/**
 * The notifications the page shows, before their posts are loaded: the latest WINDOW audible rows,
 * grouped. Both the list and the unread count start here, so the badge counts what the page shows.
 */
async function groupAudibleNotifications(viewerId: string) {
  const rows = await db().notification.findMany({
    where: audible(viewerId),
    orderBy: { createdAt: "desc" },
    take: WINDOW,
    select: { id: true, kind: true, postId: true, createdAt: true, readAt: true, actor: { select: authorSelect } },
  });
  const groups = new Map<string, { key: string; kind: NotificationKind; postId: string | null; rows: typeof rows; unread: boolean }>();
  for (const row of rows) {
    const key = GROUPED.has(row.kind) ? `${row.kind}:${row.postId ?? ""}` : row.id;
    const group = groups.get(key) ?? { key, kind: row.kind, postId: row.postId, rows: [], unread: false };
    group.rows.push(row);
    group.unread ||= row.readAt === null;
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Of the groups, those the viewer may still see: a group about a post they cannot see is left out. */
async function withVisiblePosts<G extends { postId: string | null }>(actor: PersonActor, groups: G[]): Promise<Array<{ group: G; post: PostView | null }>> {
  const posts = await loadPostViews({ actor, postIds: groups.flatMap((g) => (g.postId ? [g.postId] : [])) });
  return groups.flatMap((group): Array<{ group: G; post: PostView | null }> => {
    if (!group.postId) return [{ group, post: null }];
    const post = posts.get(group.postId);
    return post ? [{ group, post }] : [];
  });
}

export async function listNotificationGroups(options: { actor: PersonActor; purpose: "core.notifications" }): Promise<NotificationGroup[]> {
  const viewerId = options.actor.userId;
  const shown = await withVisiblePosts(options.actor, await groupAudibleNotifications(viewerId));
  return shown.map(({ group, post }) => {
    const actors = new Map<string, AuthorView>();
    for (const row of group.rows) if (!actors.has(row.actor.id)) actors.set(row.actor.id, toAuthorView(row.actor));
    return {
      key: group.key,
      kind: group.kind,
      actors: [...actors.values()].slice(0, 3),
      actorCount: actors.size,
      post,
      latestAt: group.rows[0]!.createdAt,
      unread: group.unread,
    };
  });
}

/** The navigation badge: how many of the page's groups are unread (the page's "n new"). */
export async function countUnreadNotifications(options: { actor: PersonActor; purpose: "core.notifications" }): Promise<number> {
  const viewerId = options.actor.userId;
  // The badge is asked on every page; most of the time nothing is unread, and one indexed row says so.
  const anyUnread = await db().notification.findFirst({ where: { ...audible(viewerId), readAt: null }, select: { id: true } });
  if (!anyUnread) return 0;
  const unread = (await groupAudibleNotifications(viewerId)).filter((group) => group.unread);
  return (await withVisiblePosts(options.actor, unread)).length;
}

export async function markNotificationsRead(options: { actor: PersonActor; purpose: "core.notifications"; now?: Date }): Promise<number> {
  const { count } = await db().notification.updateMany({
    where: { recipientId: options.actor.userId, readAt: null },
    data: { readAt: options.now ?? new Date() },
  });
  return count;
}
