// Preparing a file on this device before it is encrypted and sent. Photos are decoded and drawn
// again as JPEG (quality 0.85, longest side at most 4096 px), which leaves behind every piece of
// metadata the original carried (GPS position, camera, time, comments); GIFs stay as they are, for
// their animation. Images and, when the browser can read one, videos get a small JPEG thumbnail.
// A name keeps no path. The browser's part comes through MediaTools.
import { ChatEngineError } from "../chat-engine-error";
import { MAX_FILE_NAME_LENGTH, MAX_MIME_TYPE_LENGTH } from "../chat-content";
import { MAX_ATTACHMENT_SIZE, type AttachmentKind } from "../types";
import type { DecodedImage, MediaTools } from "./media-tools";

export const PHOTO_MAX_SIDE = 4096;
export const PHOTO_QUALITY = 0.85;
/** Tried in order until a thumbnail fits its bytes: lower quality first, then smaller. */
export const THUMBNAIL_STEPS: readonly { maxSide: number; quality: number }[] = [
  { maxSide: 160, quality: 0.7 },
  { maxSide: 160, quality: 0.55 },
  { maxSide: 160, quality: 0.4 },
  { maxSide: 160, quality: 0.3 },
  { maxSide: 120, quality: 0.35 },
  { maxSide: 96, quality: 0.3 },
  { maxSide: 64, quality: 0.3 },
];

/** Decoded and drawn again as JPEG. */
const REENCODED_IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/webp", "image/heic", "image/heif", "image/avif", "image/bmp"]);
/** Sent as they are (a GIF's animation would be lost), with a thumbnail of the first frame. */
const KEPT_IMAGE_TYPES = new Set(["image/gif"]);
const OCTET_STREAM = "application/octet-stream";
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

export interface PreparedFile {
  /** What is encrypted and sent (for a photo, the new JPEG). */
  blob: Blob;
  name: string;
  type: string;
  kind: AttachmentKind;
  width?: number;
  height?: number;
  durationMs?: number;
  thumbnail?: Uint8Array;
}

/**
 * @param options.thumbnailBytes the most bytes this file's thumbnail may take (its share of the message).
 * @throws ChatEngineError chat_attachment_too_large past MAX_ATTACHMENT_SIZE as it would be sent
 */
export async function prepareFile(file: File, options: { media: MediaTools; thumbnailBytes: number }): Promise<PreparedFile> {
  const { media, thumbnailBytes } = options;
  const type = cleanMimeType(file.type);
  const name = cleanFileName(file.name);
  const reencoded = REENCODED_IMAGE_TYPES.has(type);
  // A photo may shrink when drawn again; anything else is sent as it is.
  if (!reencoded && file.size > MAX_ATTACHMENT_SIZE) throw new ChatEngineError("chat_attachment_too_large");
  let prepared: PreparedFile = { blob: file, name, type, kind: attachmentKindOf(type) };
  if (reencoded || KEPT_IMAGE_TYPES.has(type)) {
    const image = await media.decodeImage(file);
    // Not decodable here (HEIC outside Safari, a damaged file): sent as a file, as it is.
    if (!image) prepared = { ...prepared, kind: "file" };
    else {
      try {
        const size = fitWithin(image, PHOTO_MAX_SIDE);
        const blob = reencoded ? await image.toJpeg({ maxSide: PHOTO_MAX_SIDE, quality: PHOTO_QUALITY }) : file;
        const thumbnail = await thumbnailOf(image, thumbnailBytes);
        prepared = {
          blob,
          name: reencoded ? withExtension(name, "jpg") : name,
          type: reencoded ? "image/jpeg" : type,
          kind: "image",
          ...(reencoded ? size : { width: image.width, height: image.height }),
          ...(thumbnail && { thumbnail }),
        };
      } finally {
        image.close();
      }
    }
  } else if (prepared.kind === "video") {
    const preview = await media.videoPreview(file).catch(() => null);
    if (preview) {
      try {
        const thumbnail = await thumbnailOf(preview.frame, thumbnailBytes);
        prepared = {
          ...prepared,
          width: preview.frame.width,
          height: preview.frame.height,
          ...(preview.durationMs !== null && { durationMs: preview.durationMs }),
          ...(thumbnail && { thumbnail }),
        };
      } finally {
        preview.frame.close();
      }
    }
  } else if (prepared.kind === "voice") {
    const durationMs = await media.audioDurationMs(file).catch(() => null);
    if (durationMs !== null) prepared = { ...prepared, durationMs };
  }
  if (prepared.blob.size > MAX_ATTACHMENT_SIZE) throw new ChatEngineError("chat_attachment_too_large");
  return prepared;
}

/** What a file is, from its (cleaned) MIME type: an image only when it is one we show as a picture; audio is a voice message. */
export function attachmentKindOf(type: string): AttachmentKind {
  if (REENCODED_IMAGE_TYPES.has(type) || KEPT_IMAGE_TYPES.has(type)) return "image";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("audio/")) return "voice";
  return "file";
}

/** A MIME type without parameters, lower case; application/octet-stream for anything that is not one. */
export function cleanMimeType(type: string): string {
  const plain = type.split(";")[0]!.trim().toLowerCase();
  return plain.length <= MAX_MIME_TYPE_LENGTH && MIME_TYPE.test(plain) ? plain : OCTET_STREAM;
}

/**
 * A file's name as sent: its last path segment (a browser gives none, but a name is the sender's to
 * choose), without control or formatting characters (a right-to-left override would disguise its
 * extension), at most MAX_FILE_NAME_LENGTH code units with its extension kept; "file" when nothing is left.
 */
export function cleanFileName(name: string): string {
  const last = name.split(/[/\\]/).pop() ?? "";
  const clean = last.replace(/[\p{Cc}\p{Cf}]/gu, "").trim();
  if (!clean || clean === "." || clean === "..") return "file";
  if (clean.length <= MAX_FILE_NAME_LENGTH) return clean;
  const dot = clean.lastIndexOf(".");
  const extension = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : "";
  return cutAt(clean, MAX_FILE_NAME_LENGTH - extension.length) + extension;
}

/** The name with its extension replaced (or added). */
export function withExtension(name: string, extension: string): string {
  const dot = name.lastIndexOf(".");
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return cutAt(stem, MAX_FILE_NAME_LENGTH - extension.length - 1) + "." + extension;
}

/** Width and height scaled down (never up) so the longest side is at most `maxSide`. */
export function fitWithin(size: { width: number; height: number }, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(size.width, size.height));
  return { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) };
}

/** The first THUMBNAIL_STEPS encoding within `maxBytes`, or undefined when none fits. */
export async function thumbnailOf(image: DecodedImage, maxBytes: number): Promise<Uint8Array | undefined> {
  if (maxBytes <= 0) return undefined;
  for (const step of THUMBNAIL_STEPS) {
    const jpeg = await image.toJpeg(step);
    if (jpeg.size <= maxBytes) return new Uint8Array(await jpeg.arrayBuffer());
  }
  return undefined;
}

/** The first `length` code units, not splitting a surrogate pair. */
function cutAt(text: string, length: number): string {
  const cut = text.slice(0, length);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}
