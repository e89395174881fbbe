// Serves a stored image, full size or preview, to a signed-in viewer allowed to see it, or to a
// logged-out visitor when it belongs to a public profile whose owner allowed search_engine_indexing.
// Anything else (hidden, unknown, malformed id) gets the same 404, so a response never tells
// whether an image exists. Every answer depends on the session cookie, hence `private` caching.
import "server-only";
import type { Actor } from "@/server/data/actor";
import { findMediaForViewer } from "@/server/data/social/media";
import { findPublicMedia } from "@/server/data/social/public-views";
import { AppError } from "@/server/errors";
import { mediaStorage, previewKeyOf } from "@/server/media/media-storage";

// Previews are always WebP (see previewKeyOf); a constant here spares this route loading sharp.
const PREVIEW_MIME_TYPE = "image/webp";
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type MediaVariant = "full" | "preview";

/**
 * The response to GET /api/media/{id} (full) or /api/media/{id}/preview.
 * @throws AppError NOT_FOUND for anything not served, whatever the reason
 */
export async function serveMedia(options: { actor: Actor; mediaId: string; variant: MediaVariant }): Promise<Response> {
  const { actor, mediaId, variant } = options;
  if (!UUID_PATTERN.test(mediaId)) throw notFound();
  const media =
    actor.kind === "person"
      ? await findMediaForViewer({ actor, purpose: "core.media", mediaId })
      : // Not cached: withdrawing the consent must stop the image being served at once.
        await findPublicMedia({ mediaId, purpose: "core.media" }).then((found) => found && { ...found, isPublic: false });
  if (!media) throw notFound();
  const file = await mediaStorage().read(variant === "full" ? media.storageKey : previewKeyOf(media.storageKey));
  if (!file) {
    console.error(`Media ${mediaId}: the ${variant} file is missing from storage.`);
    throw notFound();
  }
  return new Response(file.stream, {
    headers: {
      "Content-Type": variant === "full" ? media.mimeType : PREVIEW_MIME_TYPE,
      "Content-Length": String(file.size),
      "Content-Disposition": "inline",
      "X-Content-Type-Options": "nosniff",
      // Ids are never reused and files never change, so what may be cached may be cached for good.
      // Protected, story and unused images are not cached at all: access to them can end.
      "Cache-Control": media.isPublic ? "private, max-age=31536000, immutable" : "private, no-store",
    },
  });
}

function notFound(): AppError {
  return new AppError("NOT_FOUND", "No such image.");
}
