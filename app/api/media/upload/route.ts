// POST /api/media/upload: one image in a multipart `file` field, from a signed-in, same-origin
// request. The pipeline reads the body within a byte budget (Content-Length is only a hint), the image is
// re-encoded without metadata, and both files are stored under a random key that says nothing
// about the person or the picture. The new image is visible only to its uploader until used.
import { enforceRateLimit, rateLimitRules } from "@/server/auth/rate-limits";
import { createMedia } from "@/server/data/social/media";
import { mediaUrls } from "@/server/data/social/post-views";
import { AppError } from "@/server/errors";
import { routeHandler } from "@/server/http/route-handler";
import { deleteMediaFiles, mediaStorage, previewKeyOf } from "@/server/media/media-storage";
import { MAX_UPLOAD_BYTES, processImage } from "@/server/media/process-image";

/** Room for the multipart boundaries and part headers around a file of the maximum size. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const tooLarge = () => new AppError("MEDIA_TOO_LARGE", `Images can be at most ${MAX_UPLOAD_BYTES / (1024 * 1024)} MB.`);

export const POST = routeHandler(
  { auth: "required", sameOrigin: true, bodyLimit: MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES, tooLarge },
  async ({ request, actor, readBody }) => {
    const contentType = request.headers.get("content-type") ?? "";
    if (!/^multipart\/form-data\s*;/i.test(contentType)) throw new AppError("MEDIA_INVALID", "Send the image as multipart/form-data.");
    await enforceRateLimit(rateLimitRules.mediaUploadsPerAccount, actor.userId);

    const file = await singleFileField(await readBody(), contentType);
    if (!file) throw new AppError("MEDIA_INVALID", "Send exactly one image in the `file` field.");
    if (file.size > MAX_UPLOAD_BYTES) throw tooLarge();

    const image = await processImage(new Uint8Array(await file.arrayBuffer()), { maxBytes: MAX_UPLOAD_BYTES });
    const storageKey = randomStorageKey();
    try {
      const storage = mediaStorage();
      await storage.put(storageKey, image.full.bytes);
      await storage.put(previewKeyOf(storageKey), image.preview.bytes);
      const { id } = await createMedia({
        actor,
        purpose: "core.media",
        storageKey,
        mimeType: image.full.mimeType,
        width: image.full.width,
        height: image.full.height,
        bytes: image.full.bytes.byteLength,
      });
      return Response.json(
        { id, width: image.full.width, height: image.full.height, previewUrl: mediaUrls(id).previewUrl },
        { status: 201, headers: { "Cache-Control": "no-store" } },
      );
    } catch (error) {
      await deleteMediaFiles([storageKey]).catch(() => undefined);
      throw error;
    }
  },
);

/** The one file of the `file` field; null when the form is malformed or holds anything else. */
async function singleFileField(body: Uint8Array<ArrayBuffer>, contentType: string): Promise<File | null> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "Content-Type": contentType } }).formData();
  } catch {
    return null;
  }
  const entries = form.getAll("file");
  const [entry] = entries;
  return entries.length === 1 && entry !== undefined && typeof entry !== "string" ? entry : null;
}

/** 128 random bits as 32 hex characters: unguessable and free of any meaning. */
function randomStorageKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
