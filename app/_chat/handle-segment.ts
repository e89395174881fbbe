// Conversation addresses: /chat/@handle, as profiles live at /@handle, and /chat/group/<id> for
// groups (the id is a UUID that only the members' devices can put a name to).
import { HANDLE_PATTERN, handleFromSegment } from "@/app/_shared/handle";

export { handleFromSegment };

/** A handle as someone typed it ("@Alice ", "alice"), or null when it cannot be one. */
export function handleFromInput(input: string): string | null {
  const handle = input.trim().replace(/^@/, "").toLowerCase();
  return HANDLE_PATTERN.test(handle) ? handle : null;
}

export function conversationHref(handle: string): string {
  return `/chat/@${handle}`;
}

export function safetyNumberHref(handle: string): string {
  return `/chat/@${handle}/safety`;
}

const GROUP_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The group id in a "[groupId]" route segment, or null when it is no UUID. */
export function groupIdFromSegment(segment: string): string | null {
  const id = segment.toLowerCase();
  return GROUP_ID_PATTERN.test(id) ? id : null;
}

export function groupHref(groupId: string): string {
  return `/chat/group/${groupId}`;
}

export function groupDetailsHref(groupId: string): string {
  return `/chat/group/${groupId}/details`;
}

/** The conversation a /chat address shows (its safety number and details pages count as it), or null. */
export type OpenConversation = { kind: "direct"; handle: string } | { kind: "group"; groupId: string };

export function openConversationFromPath(pathname: string): OpenConversation | null {
  const [chat, first, second] = pathname.split("/").filter(Boolean);
  if (chat !== "chat" || !first) return null;
  if (first === "group") {
    const groupId = second ? groupIdFromSegment(second) : null;
    return groupId ? { kind: "group", groupId } : null;
  }
  const handle = handleFromSegment(first);
  return handle ? { kind: "direct", handle } : null;
}

/** The address of a conversation, from its summary. */
export function conversationOf(summary: { kind: "direct"; peer: { handle: string } } | { kind: "group"; group: { id: string } }): OpenConversation {
  return summary.kind === "direct" ? { kind: "direct", handle: summary.peer.handle } : { kind: "group", groupId: summary.group.id };
}

/** Whether two addresses name the same conversation. */
export function isSameConversation(a: OpenConversation | null, b: OpenConversation): boolean {
  if (!a) return false;
  return a.kind === "direct" ? b.kind === "direct" && a.handle === b.handle : b.kind === "group" && a.groupId === b.groupId;
}

/** Whether a conversation summary is the open one. */
export function isOpenConversation(
  open: OpenConversation | null,
  summary: { kind: "direct"; peer: { handle: string } } | { kind: "group"; group: { id: string } },
): boolean {
  return isSameConversation(open, conversationOf(summary));
}
