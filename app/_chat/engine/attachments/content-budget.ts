// A message's files must leave its content within MAX_CONTENT_BYTES (so its envelope stays in the
// 64 KiB bucket): names, types and keys are small, thumbnails are not. Each file's thumbnail gets
// its share of what the caption and the rest leave, up to MAX_THUMBNAIL_BYTES; whatever still
// does not fit loses its thumbnail, the largest first. Measured on the longest form the content
// takes (a group text; a 1:1 text's copy to our own devices is shorter), with ids and keys at
// their fixed lengths, so the count before uploading is the count after.
import { encodeContent, MAX_CONTENT_BYTES, MAX_THUMBNAIL_BYTES, type AttachmentRef } from "../chat-content";
import type { StoredAttachment } from "../records";
import { MAX_ATTACHMENT_SIZE } from "../types";
import { refsOf } from "./attachment-view";

const SOME_ID = "00000000-0000-4000-8000-000000000000";
/** 32 bytes in base64url. */
const SOME_KEY = "A".repeat(43);
/** What a name may grow by when a photo's extension becomes ".jpg". */
const RENAME_SLACK = 4;

/** The thumbnail bytes each of these files may take, with this caption. */
export function thumbnailShare(caption: string, files: readonly { name: string; type: string }[]): number {
  if (!files.length) return MAX_THUMBNAIL_BYTES;
  const refs: AttachmentRef[] = files.map((file) => ({
    id: SOME_ID,
    key: SOME_KEY,
    digest: SOME_KEY,
    size: MAX_ATTACHMENT_SIZE,
    name: file.name + "x".repeat(RENAME_SLACK),
    type: file.type,
    kind: "image",
    width: 1_000_000,
    height: 1_000_000,
    durationMs: Number.MAX_SAFE_INTEGER,
    thumbnail: "",
  }));
  const left = MAX_CONTENT_BYTES - longestContentBytes(caption, refs);
  const base64PerFile = Math.floor(left / files.length);
  return Math.max(0, Math.min(MAX_THUMBNAIL_BYTES, Math.floor((base64PerFile * 3) / 4)));
}

/** The files, less the thumbnails (largest first) that the message has no room for. */
export function fitThumbnails(caption: string, attachments: readonly StoredAttachment[]): StoredAttachment[] {
  let fitted = [...attachments];
  const measure = () => longestContentBytes(caption, refsOf(fitted.map((a) => ({ ...a, blob: a.blob ?? { id: SOME_ID, key: SOME_KEY, digest: SOME_KEY } }))));
  while (measure() > MAX_CONTENT_BYTES) {
    const largest = fitted.reduce((best, a, i) => ((a.thumbnail?.length ?? 0) > (fitted[best]!.thumbnail?.length ?? 0) ? i : best), 0);
    if (!fitted[largest]!.thumbnail) break;
    const { thumbnail: _dropped, ...rest } = fitted[largest]!;
    fitted = fitted.with(largest, rest);
  }
  return fitted;
}

function longestContentBytes(body: string, attachments: AttachmentRef[]): number {
  return encodeContent({ t: "group-text", id: SOME_ID, groupId: SOME_ID, body, sentAt: Number.MAX_SAFE_INTEGER, attachments }).length;
}
