// "Who to follow". With personalized_suggestions granted: people followed by the people you
// follow, weighted by how many of them follow each, plus the authors of posts you liked.
// Without it: the same list for everyone (the most-followed active accounts), chosen without
// your data; only you, people you already follow and blocked accounts are left out.
import "server-only";
import type { PersonActor } from "../actor";
import { withConsent } from "../consent/consent-gate";
import { db, Prisma } from "../db";
import { authorSelect, toAuthorView, type AuthorView } from "./post-views";

const COUNT = 5;

export interface Suggestions {
  personalized: boolean;
  people: AuthorView[];
}

export async function suggestPeopleToFollow(options: { actor: PersonActor; purpose: "core.profiles" }): Promise<Suggestions> {
  const me = options.actor.userId;
  const exclusions = Prisma.sql`
    u.id <> ${me}::uuid AND u.deactivated_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ${me}::uuid AND f.followee_id = u.id)
    AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = ${me}::uuid AND b.blocked_id = u.id)
                                              OR (b.blocker_id = u.id AND b.blocked_id = ${me}::uuid))`;

  const personalized = await withConsent({
    purpose: "personalized_suggestions",
    accessor: options.actor,
    action: { code: "used_for_suggestions" },
    subjectIds: [me],
    use: async (consenting) => {
      if (!consenting.has(me)) return { result: null, usedSubjectIds: [] };
      const rows = await db().$queryRaw<{ id: string }[]>`
        WITH scores AS (
          SELECT f2.followee_id AS id, count(*) * 2 AS score
          FROM follows f1 JOIN follows f2 ON f2.follower_id = f1.followee_id
          WHERE f1.follower_id = ${me}::uuid GROUP BY f2.followee_id
          UNION ALL
          SELECT p.author_id, count(*) FROM likes l JOIN posts p ON p.id = l.post_id
          WHERE l.user_id = ${me}::uuid GROUP BY p.author_id
        )
        SELECT u.id FROM scores s JOIN users u ON u.id = s.id
        WHERE ${exclusions}
        GROUP BY u.id ORDER BY sum(s.score) DESC, u.id LIMIT ${COUNT}`;
      return { result: rows.map((r) => r.id), usedSubjectIds: [me] };
    },
  });

  const ids =
    personalized ??
    (
      await db().$queryRaw<{ id: string }[]>`
        SELECT u.id FROM users u
        WHERE ${exclusions}
          AND NOT EXISTS (SELECT 1 FROM profiles pr WHERE pr.user_id = u.id AND pr.is_protected)
        ORDER BY (SELECT count(*) FROM follows f WHERE f.followee_id = u.id) DESC, u.created_at
        LIMIT ${COUNT}`
    ).map((r) => r.id);

  const users = await db().user.findMany({ where: { id: { in: ids } }, select: authorSelect });
  const byId = new Map(users.map((u) => [u.id, toAuthorView(u)]));
  return { personalized: personalized !== null, people: ids.flatMap((id) => byId.get(id) ?? []) };
}
