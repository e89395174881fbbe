// Profiles live at /@handle (the route is app/(social)/[handle], which accepts only segments
// that start with "@").
export function profileHref(handle: string, tab?: "replies" | "media"): string {
  return tab ? `/@${handle}?tab=${tab}` : `/@${handle}`;
}

export { handleFromSegment } from "@/app/_shared/handle";
