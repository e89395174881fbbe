// Conversation addresses: /chat/@handle, as profiles live at /@handle, and /chat/group/<id> for
// groups (the id is a UUID that only the members' devices can put a name to).
import { HANDLE_PATTERN } from "@/app/_shared/handle";

export { handleFromSegment } from "@/app/_shared/handle";

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
