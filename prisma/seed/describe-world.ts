// The few lines printed after a demo world is made: what is in it, and how to log in.
import type { WorldSummary } from "./generate-world";

const n = (value: number) => value.toLocaleString("en");

export function describeWorld(summary: WorldSummary): string[] {
  const lines = [
    `Demo world ready in ${(summary.elapsedMs / 1000).toFixed(1)} s: ${n(summary.people)} people (${n(summary.protectedPeople)} protected), ` +
      `${n(summary.follows)} follows, ${n(summary.posts)} posts (${n(summary.replies)} replies, ${n(summary.quotes)} quotes), ` +
      `${n(summary.reposts)} reposts, ${n(summary.likes)} likes, ${n(summary.media)} pictures, ${n(summary.notifications)} notifications.`,
  ];
  if (summary.sampleAccounts.length) {
    lines.push(`Log in as any of them with the password "${summary.password}", for example:`);
    for (const account of summary.sampleAccounts) lines.push(`  @${account.handle}  (${account.why})`);
  }
  return lines;
}
