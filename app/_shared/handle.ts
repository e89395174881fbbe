// Handles in addresses: profiles live at /@handle and conversations at /chat/@handle. Shared by
// the social and chat modules (which import nothing from each other).

export const HANDLE_PATTERN = /^[a-z0-9_]{1,30}$/;

/** The handle in a "[handle]" route segment ("@alice" or "%40alice"), or null when it is none. */
export function handleFromSegment(segment: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return null;
  }
  if (!decoded.startsWith("@")) return null;
  const handle = decoded.slice(1).toLowerCase();
  return HANDLE_PATTERN.test(handle) ? handle : null;
}
