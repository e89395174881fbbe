// What the UI sees of a stored file: its details, a data: URL for the thumbnail (the CSP's img-src
// allows data:), and where it stands. Incoming refs become stored files here too.
import type { AttachmentRef } from "../chat-content";
import type { StoredAttachment } from "../records";
import type { AttachmentView } from "../types";

export const NO_ATTACHMENTS: readonly AttachmentView[] = Object.freeze([]);
/** Thumbnails' data: URLs already made: views are rebuilt at every change of a thread (and every progress step). */
const thumbnailUrls = new Map<string, string>();
const THUMBNAIL_URLS_KEPT = 1000;

export function toAttachmentView(stored: StoredAttachment): AttachmentView {
  const moving = stored.status === "uploading" || stored.status === "downloading";
  return {
    id: stored.localId,
    name: stored.name,
    type: stored.type,
    kind: stored.kind,
    size: stored.size,
    width: stored.width ?? null,
    height: stored.height ?? null,
    durationMs: stored.durationMs ?? null,
    thumbnailUrl: stored.thumbnail ? jpegDataUrl(stored.thumbnail) : null,
    status: stored.status,
    progress: moving ? (stored.liveProgress ?? 0) : null,
    error: stored.status === "upload-failed" || stored.status === "download-failed" ? (stored.error ?? null) : null,
  };
}

/** The files of a received message (or a copy of our own from another device), each under an id of this device's. */
export function storedFromRefs(refs: readonly AttachmentRef[] | undefined): StoredAttachment[] | undefined {
  if (!refs?.length) return undefined;
  return refs.map((ref) => ({
    localId: crypto.randomUUID(),
    name: ref.name,
    type: ref.type,
    kind: ref.kind,
    size: ref.size,
    ...(ref.width !== undefined && { width: ref.width }),
    ...(ref.height !== undefined && { height: ref.height }),
    ...(ref.durationMs !== undefined && { durationMs: ref.durationMs }),
    ...(ref.thumbnail !== undefined && { thumbnail: ref.thumbnail }),
    blob: { id: ref.id, key: ref.key, digest: ref.digest },
    status: "available",
  }));
}

/** The refs a message carries for its files (every one uploaded), thumbnails included. */
export function refsOf(attachments: readonly StoredAttachment[]): AttachmentRef[] {
  return attachments.map((a) => {
    if (!a.blob) throw new Error("a file not uploaded yet has no ref");
    return {
      id: a.blob.id,
      key: a.blob.key,
      digest: a.blob.digest,
      size: a.size,
      name: a.name,
      type: a.type,
      kind: a.kind,
      ...(a.width !== undefined && { width: a.width }),
      ...(a.height !== undefined && { height: a.height }),
      ...(a.durationMs !== undefined && { durationMs: a.durationMs }),
      ...(a.thumbnail !== undefined && { thumbnail: a.thumbnail }),
    };
  });
}

/** A small JPEG carried as base64url (a thumbnail, a group's picture) as a data: URL, the same string each time. */
export function jpegDataUrl(thumbnail: string): string {
  let url = thumbnailUrls.get(thumbnail);
  if (url === undefined) {
    url = `data:image/jpeg;base64,${base64UrlToBase64(thumbnail)}`;
    // Forgets the oldest when full (a Map keeps the order things went in).
    if (thumbnailUrls.size >= THUMBNAIL_URLS_KEPT) thumbnailUrls.delete(thumbnailUrls.keys().next().value!);
    thumbnailUrls.set(thumbnail, url);
  }
  return url;
}

function base64UrlToBase64(text: string): string {
  const standard = text.replaceAll("-", "+").replaceAll("_", "/");
  return standard + "=".repeat((4 - (standard.length % 4)) % 4);
}
