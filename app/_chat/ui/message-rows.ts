// The rows of a conversation's list: its messages in the engine's order, notices placed by time
// among them, a day line wherever the calendar day changes, and, once nothing older is left, the
// start of the conversation. Keys stay the same when older pages are prepended, so the list can
// keep its place (the virtualizer anchors to the first visible row's key). In a group, an incoming
// message names its sender when it starts a run: after another sender, our own message, a notice
// or a day line. Each row also has a first guess at its height, which the virtualizer uses until
// the row is measured.
import type { ChatMessage, ConversationNotice } from "@/app/_chat/engine/types";
import { estimateAttachmentsHeight } from "./attachment-layout";

export type MessageRow =
  | { kind: "start"; key: string }
  | { kind: "day"; key: string; at: number }
  | { kind: "message"; key: string; message: ChatMessage; showSender: boolean }
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
  const dayLineBefore = (item: ChatMessage | ConversationNotice, key: string, at: number) => {
    const day = dayOf(item, at);
    if (day === lastDay) return;
    lastDay = day;
    // Another device's clock can put a message on an earlier day than the one before it, so a
    // day may come round twice; the second line needs a key of its own.
    rows.push({ kind: "day", key: usedDays.has(day) ? `day:${day}:${key}` : `day:${day}`, at });
    usedDays.add(day);
  };
  const pushNotice = (notice: ConversationNotice) => {
    const key = `notice:${notice.id}`;
    dayLineBefore(notice, key, notice.at);
    rows.push({ kind: "notice", key, notice });
  };
  const pushMessage = (message: ChatMessage) => {
    const key = `message:${message.id}`;
    dayLineBefore(message, key, message.sentAt);
    const previous = rows[rows.length - 1];
    const sameSender = previous?.kind === "message" && !previous.message.outgoing && previous.message.sender?.userId === message.sender?.userId;
    rows.push({ kind: "message", key, message, showSender: !message.outgoing && message.sender !== null && !sameSender });
  };

  const sortedNotices = notices.length > 1 ? [...notices].sort((a, b) => a.at - b.at) : notices;
  let n = 0;
  for (const message of messages) {
    while (n < sortedNotices.length && sortedNotices[n]!.at <= message.sentAt) pushNotice(sortedNotices[n++]!);
    pushMessage(message);
  }
  for (; n < sortedNotices.length; n++) pushNotice(sortedNotices[n]!);
  return rows;
}

/** About how tall a row is drawn (px), before it is measured. */
export function estimateRowSize(row: MessageRow | undefined): number {
  if (!row) return 56;
  if (row.kind === "start") return 180;
  if (row.kind === "day") return 44;
  if (row.kind === "notice") return 64;
  const { body, attachments } = row.message;
  // About 40 characters a line in a bubble, 22 px a line, plus the bubble's padding and meta line;
  // a message of files alone has no text line.
  const lines = body === "" && attachments.length > 0 ? 0 : body.split("\n").reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / 40)), 0);
  return 44 + Math.min(lines, 60) * 22 + estimateAttachmentsHeight(attachments) + (row.showSender ? 20 : 0);
}
