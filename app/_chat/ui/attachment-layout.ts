// How large a file's preview is drawn in a message, known before anything loads: an image or a
// video fits its width and height (from the message) into PREVIEW_MAX_WIDTH × PREVIEW_MAX_HEIGHT,
// keeping its shape, so the row does not jump when the thumbnail gives way to the full image. The
// list's size estimate for a row uses the same numbers.
import type { AttachmentView } from "@/app/_chat/engine/types";

export const PREVIEW_MAX_WIDTH = 280;
export const PREVIEW_MAX_HEIGHT = 320;
/** A preview's smallest side: a sliver of a panorama still needs a place to click. */
const PREVIEW_MIN_SIDE = 48;
/** When the message gives no size (a video the sender's browser could not read). */
const UNKNOWN_IMAGE = { width: 240, height: 180 };
const UNKNOWN_VIDEO = { width: 256, height: 144 };
/** A file's or a voice message's row, and the status line under a moving or failed file (px). */
const FILE_ROW_HEIGHT = 56;
const VOICE_ROW_HEIGHT = 60;
const STATUS_LINE_HEIGHT = 30;
const GAP = 6;

export function previewBox(attachment: Pick<AttachmentView, "kind" | "width" | "height">): { width: number; height: number } {
  const known = attachment.width && attachment.height ? { width: attachment.width, height: attachment.height } : null;
  const size = known ?? (attachment.kind === "video" ? UNKNOWN_VIDEO : UNKNOWN_IMAGE);
  const scale = Math.min(1, PREVIEW_MAX_WIDTH / size.width, PREVIEW_MAX_HEIGHT / size.height);
  return {
    width: Math.max(PREVIEW_MIN_SIDE, Math.round(size.width * scale)),
    height: Math.max(PREVIEW_MIN_SIDE, Math.round(size.height * scale)),
  };
}

/** About how tall a message's files are drawn (px), for the list's first guess at a row's height. */
export function estimateAttachmentsHeight(attachments: readonly AttachmentView[]): number {
  let height = 0;
  for (const attachment of attachments) {
    const media = attachment.kind === "image" || attachment.kind === "video";
    height += GAP + (media ? previewBox(attachment).height : attachment.kind === "voice" ? VOICE_ROW_HEIGHT : FILE_ROW_HEIGHT);
    if (attachment.status !== "downloaded" && attachment.status !== "available") height += STATUS_LINE_HEIGHT;
  }
  return height;
}
