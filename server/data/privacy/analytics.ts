// First-party product analytics: daily totals that count only people who granted
// product_analytics, stored as numbers per day (no per-person rows, no identifiers).
// Active people are read from sessions' last use; the day's total only grows during the day,
// and it is finalized once after midnight, when each counted person gets one access-log entry.
import "server-only";
import { system } from "../actor";
import { withConsent } from "../consent/consent-gate";
import { db } from "../db";

export const METRICS = ["active_people", "posts"] as const;
export type Metric = (typeof METRICS)[number];

const DAY_MS = 24 * 60 * 60 * 1000;

export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** Updates the totals of the UTC day containing `day`; `finalize` also logs the use for each counted person. */
export async function aggregateDailyCounts(options: { purpose: "product_analytics"; day: Date; finalize: boolean }): Promise<Record<Metric, number>> {
  const start = startOfUtcDay(options.day);
  const end = new Date(start.getTime() + DAY_MS);
  const active = await db().session.findMany({ where: { lastUsedAt: { gte: start, lt: end } }, select: { userId: true }, distinct: ["userId"] });
  const authors = await db().post.groupBy({ by: ["authorId"], where: { createdAt: { gte: start, lt: end } }, _count: { _all: true } });

  const counts = await withConsent({
    purpose: "product_analytics",
    accessor: system("daily-analytics"),
    action: { code: "counted_in_totals", detail: start.toISOString().slice(0, 10) },
    subjectIds: [...active.map((a) => a.userId), ...authors.map((a) => a.authorId)],
    now: options.finalize ? end : undefined,
    use: async (consenting) => {
      const activePeople = active.filter((a) => consenting.has(a.userId));
      const posts = authors.filter((a) => consenting.has(a.authorId)).reduce((sum, a) => sum + a._count._all, 0);
      const used = new Set([...activePeople.map((a) => a.userId), ...authors.filter((a) => consenting.has(a.authorId)).map((a) => a.authorId)]);
      return { result: { active_people: activePeople.length, posts }, usedSubjectIds: options.finalize ? [...used] : [] };
    },
  });

  for (const metric of METRICS) {
    await db().$executeRaw`
      INSERT INTO daily_counts (day, metric, count) VALUES (${start}::date, ${metric}, ${counts[metric]})
      ON CONFLICT (day, metric) DO UPDATE SET count = greatest(daily_counts.count, EXCLUDED.count)`;
  }
  return counts;
}

/** The totals of the last `days` days, newest first, for the operator's page. */
export async function listDailyCounts(options: { purpose: "core.account"; days: number; now?: Date }) {
  const since = new Date(startOfUtcDay(options.now ?? new Date()).getTime() - (options.days - 1) * DAY_MS);
  const rows = await db().dailyCount.findMany({ where: { day: { gte: since } }, orderBy: [{ day: "desc" }, { metric: "asc" }] });
  const byDay = new Map<string, Record<Metric, number>>();
  for (const row of rows) {
    const key = row.day.toISOString().slice(0, 10);
    const entry = byDay.get(key) ?? { active_people: 0, posts: 0 };
    if ((METRICS as readonly string[]).includes(row.metric)) entry[row.metric as Metric] = row.count;
    byDay.set(key, entry);
  }
  return [...byDay.entries()].map(([day, counts]) => ({ day, ...counts }));
}
