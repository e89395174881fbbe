// Conversations live at /chat/@handle, as profiles live at /@handle. The chat keeps its own copy
// of this small parser: it imports nothing from the social module.

const HANDLE = /^[a-z0-9_]{1,30}$/;

/** The handle in a /chat/[handle] segment ("@alice" or "%40alice"), or null when it is none. */
export function handleFromSegment(segment: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return null;
  }
  if (!decoded.startsWith("@")) return null;
  const handle = decoded.slice(1).toLowerCase();
  return HANDLE.test(handle) ? handle : null;
}

/** A handle as someone typed it ("@Alice ", "alice"), or null when it cannot be one. */
export function handleFromInput(input: string): string | null {
  const handle = input.trim().replace(/^@/, "").toLowerCase();
  return HANDLE.test(handle) ? handle : null;
}

export function conversationHref(handle: string): string {
  return `/chat/@${handle}`;
}

export function safetyNumberHref(handle: string): string {
  return `/chat/@${handle}/safety`;
}
