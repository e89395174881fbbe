// Where the next page of a timeline starts; the same functions on the server (prefetch) and in
// the browser, so a page fetched on either side continues the same way.
import type { ThreadView, TimelinePage } from "@/app/_social/wire/views";

export const nextCursor = (page: TimelinePage): string | null => page.nextCursor;

export const nextReplyCursor = (page: ThreadView): string | null => page.replies.nextCursor;
