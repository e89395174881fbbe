// The chat's own view of people: names and avatars for the conversation list and the "new message"
// picker. Read from the users, profiles and follows tables directly (the chat module imports
// nothing from the social one). Deactivated accounts and anyone in a block with the viewer, either
// way, are never shown.
import "server-only";
import { AppError } from "../../errors";
import type { PersonActor } from "../actor";
import { db, type Prisma } from "../db";
import { refuseIfBlocked, visibleInChatTo } from "./access";

export const MAX_DIRECTORY_IDS = 100;
export const MAX_DIRECTORY_PAGE = 50;
export const MAX_SUGGESTIONS = 10;

export interface ChatPerson {
  userId: string;
  handle: string;
  displayName: string;
  avatarUrl: string | null;
}

const personSelect = {
  id: true,
  handle: true,
  displayName: true,
  profile: { select: { avatarMediaId: true } },
} satisfies Prisma.UserSelect;

type PersonRow = Prisma.UserGetPayload<{ select: typeof personSelect }>;

/** The avatar's preview as app/api/media/[id]/preview serves it (the social module's URL shape). */
function avatarPreviewUrl(mediaId: string): string {
  return `/api/media/${mediaId}/preview`;
}

function toChatPerson(user: PersonRow): ChatPerson {
  const avatarId = user.profile?.avatarMediaId;
  return { userId: user.id, handle: user.handle, displayName: user.displayName, avatarUrl: avatarId ? avatarPreviewUrl(avatarId) : null };
}

/**
 * The person with `handle`.
 * @throws AppError NOT_FOUND for an unknown or deactivated account; BLOCKED when either side blocked the other
 */
export async function findChatPersonByHandle(options: { actor: PersonActor; purpose: "core.messaging"; handle: string }): Promise<ChatPerson> {
  const user = await db().user.findFirst({ where: { handle: options.handle.toLowerCase(), deactivatedAt: null }, select: personSelect });
  if (!user) throw new AppError("NOT_FOUND", "No such account.");
  await refuseIfBlocked(db(), options.actor.userId, [user.id]);
  return toChatPerson(user);
}

/** Those of `userIds` the viewer may see, in the order asked; the others are left out. */
export async function findChatPeopleByIds(options: { actor: PersonActor; purpose: "core.messaging"; userIds: string[] }): Promise<ChatPerson[]> {
  const users = await db().user.findMany({
    where: { id: { in: [...new Set(options.userIds)] }, ...visibleInChatTo(options.actor.userId) },
    select: personSelect,
  });
  const byId = new Map(users.map((u) => [u.id, toChatPerson(u)]));
  return [...new Set(options.userIds)].flatMap((id) => byId.get(id) ?? []);
}

/**
 * The people the viewer follows, by handle, `limit` at a time after the handle `after`.
 * `nextCursor` is the last handle of the page while more may follow.
 */
export async function listFollowedChatPeople(options: {
  actor: PersonActor;
  purpose: "core.messaging";
  after: string | null;
  limit: number;
}): Promise<{ people: ChatPerson[]; nextCursor: string | null }> {
  const viewerId = options.actor.userId;
  const limit = Math.min(Math.max(1, options.limit), MAX_DIRECTORY_PAGE);
  const users = await db().user.findMany({
    where: {
      followers: { some: { followerId: viewerId } },
      ...visibleInChatTo(viewerId),
      ...(options.after ? { handle: { gt: options.after } } : {}),
    },
    orderBy: { handle: "asc" },
    take: limit + 1,
    select: personSelect,
  });
  const page = users.slice(0, limit);
  return { people: page.map(toChatPerson), nextCursor: users.length > limit ? page.at(-1)!.handle : null };
}

/**
 * Up to `limit` people the viewer follows whose handle starts with what was typed, or whose display
 * name contains it (case-insensitive; a leading "@" is ignored), exact handle first, then by handle.
 * Empty: the first followed, by handle. For the "new message" autocomplete.
 */
export async function suggestChatPeople(options: { actor: PersonActor; purpose: "core.messaging"; query: string; limit: number }): Promise<ChatPerson[]> {
  const viewerId = options.actor.userId;
  const typed = options.query.trim().replace(/^@/, "");
  const limit = Math.min(Math.max(1, options.limit), MAX_SUGGESTIONS);
  const users = await db().user.findMany({
    where: {
      followers: { some: { followerId: viewerId } },
      ...visibleInChatTo(viewerId),
      // Prisma hands these to LIKE as they are: its wildcards must be only characters here.
      ...(typed
        ? {
            OR: [{ handle: { startsWith: likeLiteral(typed.toLowerCase()) } }, { displayName: { contains: likeLiteral(typed), mode: "insensitive" as const } }],
          }
        : {}),
    },
    orderBy: { handle: "asc" },
    take: limit + 1,
    select: personSelect,
  });
  const exact = users.findIndex((u) => u.handle === typed.toLowerCase());
  if (exact > 0) users.unshift(...users.splice(exact, 1));
  return users.slice(0, limit).map(toChatPerson);
}

function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

/**
 * Those of `userIds` the viewer follows, in no particular order: a first message from anyone else
 * is a message request. The server learns nothing new from the question (it holds the follows).
 */
export async function listFollowedAmong(options: { actor: PersonActor; purpose: "core.messaging"; userIds: string[] }): Promise<string[]> {
  const rows = await db().follow.findMany({
    where: { followerId: options.actor.userId, followeeId: { in: [...new Set(options.userIds)] } },
    select: { followeeId: true },
  });
  return rows.map((r) => r.followeeId);
}
