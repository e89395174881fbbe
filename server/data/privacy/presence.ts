// Presence ("last active"), kept only for people who share it, shown only to mutual followers.
import "server-only";
import type { PersonActor } from "../actor";
import { withConsent } from "../consent/consent-gate";
import { peopleWithConsent } from "../consent/consent-ledger";
import { db } from "../db";

/** Notes that the person is active, if (and only if) they share presence. */
export async function recordPresence(options: { userId: string; purpose: "core.sessions"; now?: Date }): Promise<void> {
  const now = options.now ?? new Date();
  if (!(await peopleWithConsent("presence_sharing", [options.userId])).has(options.userId)) return;
  await db().presence.upsert({
    where: { userId: options.userId },
    create: { userId: options.userId, lastActiveAt: now },
    update: { lastActiveAt: now },
  });
}

/** Forgets when the person was last active (on withdrawal, deactivation). */
export async function forgetPresence(options: { userId: string; purpose: "core.privacy" }): Promise<void> {
  await db().presence.deleteMany({ where: { userId: options.userId } });
}

/**
 * When `subjectId` was last active, for a viewer who follows them and whom they follow back;
 * null otherwise, or when the subject does not share presence.
 */
export async function getLastActive(options: { actor: PersonActor; subjectId: string; now?: Date }): Promise<Date | null> {
  const viewerId = options.actor.userId;
  const { subjectId } = options;
  if (viewerId === subjectId) return null;
  const mutual = await db().follow.count({
    where: {
      OR: [
        { followerId: viewerId, followeeId: subjectId },
        { followerId: subjectId, followeeId: viewerId },
      ],
    },
  });
  if (mutual !== 2) return null;
  return withConsent({
    purpose: "presence_sharing",
    accessor: options.actor,
    action: { code: "presence_shown", accessorId: viewerId },
    subjectIds: [subjectId],
    now: options.now,
    use: async (consenting) => {
      if (!consenting.has(subjectId)) return { result: null, usedSubjectIds: [] };
      const row = await db().presence.findUnique({ where: { userId: subjectId } });
      return { result: row?.lastActiveAt ?? null, usedSubjectIds: row ? [subjectId] : [] };
    },
  });
}
