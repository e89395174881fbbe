// Reports of posts and profiles to the operators. Only what the reporter can see may be reported:
// anything else is NOT_FOUND, as everywhere in the social module.
import "server-only";
import { AppError } from "../../errors";
import type { PersonActor } from "../actor";
import { db } from "../db";
import { notBlockedWith, postVisibleTo } from "./visibility";

export type SocialReportTarget = { postId: string } | { handle: string };

/**
 * @throws AppError NOT_FOUND for a post or profile the reporter cannot see; FORBIDDEN for one's own
 */
export async function createSocialReport(options: {
  actor: PersonActor;
  purpose: "core.posts" | "core.profiles";
  target: SocialReportTarget;
  reason: "spam" | "harassment" | "other";
  note: string | null;
  now: Date;
}): Promise<{ id: string }> {
  const client = db();
  const viewerId = options.actor.userId;
  const target =
    "postId" in options.target
      ? await client.post
          .findFirst({ where: { id: options.target.postId, ...postVisibleTo(viewerId) }, select: { id: true, authorId: true } })
          .then((post) => post && { postId: post.id, subjectId: post.authorId })
      : await client.user
          .findFirst({ where: { handle: options.target.handle.toLowerCase(), ...notBlockedWith(viewerId) }, select: { id: true } })
          .then((user) => user && { postId: null, subjectId: user.id });
  if (!target) throw new AppError("NOT_FOUND", "No such post or account.");
  if (target.subjectId === viewerId) throw new AppError("FORBIDDEN", "You cannot report yourself.");
  return client.socialReport.create({
    data: { reporterId: viewerId, ...target, reason: options.reason, note: options.note, createdAt: options.now },
    select: { id: true },
  });
}
