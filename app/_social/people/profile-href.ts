// Profiles live at /@handle (the route is app/(social)/[handle], which accepts only segments
// that start with "@").
export function profileHref(handle: string, tab?: "replies" | "media"): string {
  return tab ? `/@${handle}?tab=${tab}` : `/@${handle}`;
}

/** The handle in a /[handle] segment ("@alice" or "%40alice"), or null when it is no profile address. */
export function handleFromSegment(segment: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return null;
  }
  if (!decoded.startsWith("@")) return null;
  const handle = decoded.slice(1).toLowerCase();
  return /^[a-z0-9_]{1,30}$/.test(handle) ? handle : null;
}
