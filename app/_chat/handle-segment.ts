// Conversation addresses: /chat/@handle, as profiles live at /@handle.
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
