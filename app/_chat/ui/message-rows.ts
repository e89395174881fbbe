// The rows of a conversation's list: its messages in the engine's order, notices placed by time
// among them, a day line wherever the calendar day changes, and, once nothing older is left, the
// start of the conversation. Keys stay the same when older pages are prepended, so the list can
// keep its place (the virtualizer anchors to the first visible row's key).
import type { ChatMessage, ConversationNotice } from "@/app/_chat/engine/types";

export type MessageRow =
  | { kind: "start"; key: string }
  | { kind: "day"; key: string; at: number }
  | { kind: "message"; key: string; message: ChatMessage }
  | { kind: "notice"; key: string; notice: ConversationNotice };

/**
 * Day keys ("2026-11-22") per time zone and message object. Ten thousand messages would otherwise
 * mean ten thousand date formats on every new message; snapshots replace changed messages, and
 * their stale entries go with them.
 */
const dayCaches = new Map<string, { format: Intl.DateTimeFormat; days: WeakMap<object, string> }>();

function dayCacheFor(timeZone: string) {
  let cache = dayCaches.get(timeZone);
  if (!cache) {
    cache = { format: new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }), days: new WeakMap() };
    dayCaches.set(timeZone, cache);
  }
  return cache;
}

export function buildRows(messages: readonly ChatMessage[], notices: readonly ConversationNotice[], hasOlder: boolean, timeZone: string): MessageRow[] {
  const cache = dayCacheFor(timeZone);
  const dayOf = (item: object, at: number) => {
    let day = cache.days.get(item);
    if (day === undefined) {
      day = cache.format.format(at);
      cache.days.set(item, day);
    }
    return day;
  };

  const rows: MessageRow[] = hasOlder ? [] : [{ kind: "start", key: "start" }];
  const usedDays = new Set<string>();
  // With older pages still to come, the first loaded message need not be its day's first: its day
  // line waits until that is known. (A line above it would also break the anchoring: its key would
  // stay the first row's while older rows of the same day slid in beneath it.)
  const first = messages[0];
  let lastDay = hasOlder && first ? dayOf(first, first.sentAt) : "";
  const push = (row: MessageRow & { kind: "message" | "notice" }, at: number) => {
    const day = dayOf(row.kind === "message" ? row.message : row.notice, at);
    if (day !== lastDay) {
      lastDay = day;
      // Another device's clock can put a message on an earlier day than the one before it, so a
      // day may come round twice; the second line needs a key of its own.
      rows.push({ kind: "day", key: usedDays.has(day) ? `day:${day}:${row.key}` : `day:${day}`, at });
      usedDays.add(day);
    }
    rows.push(row);
  };

  const sortedNotices = notices.length > 1 ? [...notices].sort((a, b) => a.at - b.at) : notices;
  let n = 0;
  for (const message of messages) {
    while (n < sortedNotices.length && sortedNotices[n]!.at <= message.sentAt) {
      const notice = sortedNotices[n++]!;
      push({ kind: "notice", key: `notice:${notice.id}`, notice }, notice.at);
    }
    push({ kind: "message", key: `message:${message.id}`, message }, message.sentAt);
  }
  for (; n < sortedNotices.length; n++) {
    const notice = sortedNotices[n]!;
    push({ kind: "notice", key: `notice:${notice.id}`, notice }, notice.at);
  }
  return rows;
}
