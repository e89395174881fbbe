"use client";
// The access log's actions are written by the server as English sentences (the data layer's
// `action`). The known ones are matched here and told in the reader's language; any other is
// shown as the server wrote it, so no entry is ever hidden.
import { useFormatter, useTranslations } from "next-intl";

type ActionKey =
  | "foundByEmail"
  | "profileToVisitor"
  | "postToVisitor"
  | "imageToVisitor"
  | "sitemap"
  | "suggestions"
  | "countedInTotals"
  | "trainingCorpus"
  | "exportRequested"
  | "presenceShown";

const PATTERNS: { key: ActionKey; pattern: RegExp }[] = [
  { key: "foundByEmail", pattern: /^(?<handle>@[a-z0-9_]+) found you by your email address$/ },
  { key: "profileToVisitor", pattern: /^showed your public profile to a logged-out visitor$/ },
  { key: "postToVisitor", pattern: /^showed one of your posts to a logged-out visitor$/ },
  { key: "imageToVisitor", pattern: /^showed one of your public images to a logged-out visitor$/ },
  { key: "sitemap", pattern: /^listed your public profile in sitemap\.xml$/ },
  { key: "suggestions", pattern: /^used whom you follow and what you liked to suggest people to follow$/ },
  { key: "countedInTotals", pattern: /^counted you in the usage totals of (?<day>\d{4}-\d{2}-\d{2})$/ },
  { key: "trainingCorpus", pattern: /^included your public posts in the AI training corpus export$/ },
  { key: "exportRequested", pattern: /^you asked for a copy of your data$/ },
  { key: "presenceShown", pattern: /^showed when you were last active to (?<handle>@[a-z0-9_]+)$/ },
];

export function useDescribeAccess(): (action: string) => string {
  const t = useTranslations("privacy.actions");
  const format = useFormatter();
  return (action) => {
    for (const { key, pattern } of PATTERNS) {
      const match = pattern.exec(action);
      if (!match) continue;
      const { handle = "", day } = match.groups ?? {};
      // The day of a usage total is a UTC calendar day, whatever the reader's zone.
      const date = day ? format.dateTime(new Date(`${day}T00:00:00Z`), { dateStyle: "long", timeZone: "UTC" }) : "";
      return t(key, { handle, date });
    }
    return action.charAt(0).toUpperCase() + action.slice(1);
  };
}
