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
    lines.push(`Log in as any of them with the handle (with or without the @) or the email, and the password: ${summary.password}`);
    lines.push("For example:");
    const width = Math.max(...summary.sampleAccounts.map((a) => a.handle.length + 1));
    for (const account of summary.sampleAccounts) lines.push(`  @${account.handle.padEnd(width - 1)}  or  ${account.email}  (${account.why})`);
  }
  return lines;
}
