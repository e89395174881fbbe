// POST /api/media/upload: one image in a multipart `file` field, from a signed-in, same-origin
// request. The body is read with a byte budget (Content-Length is only a hint), the image is
// re-encoded without metadata, and both files are stored under a random key that says nothing
// about the person or the picture. The new image is visible only to its uploader until used.
import { isAllowedRequestOrigin } from "@/server/auth/request-origin";
import { enforceRateLimit, rateLimitRules } from "@/server/auth/rate-limits";
import { validateRequestSession } from "@/server/auth/sessions";
import { person } from "@/server/data/actor";
import { createMedia } from "@/server/data/social/media";
import { mediaUrls } from "@/server/data/social/post-views";
import { serverEnv } from "@/server/env";
import { AppError, type AppErrorCode } from "@/server/errors";
import { deleteMediaFiles, mediaStorage, previewKeyOf } from "@/server/media/media-storage";
import { MAX_UPLOAD_BYTES, processImage } from "@/server/media/process-image";
import { readBodyWithin } from "@/server/http/read-body-within";

/** Room for the multipart boundaries and part headers around a file of the maximum size. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
const MAX_BODY_BYTES = MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES;

const TOO_LARGE_MESSAGE = `Images can be at most ${MAX_UPLOAD_BYTES / (1024 * 1024)} MB.`;

export async function POST(request: Request): Promise<Response> {
  try {
    return await upload(request);
  } catch (error) {
    if (error instanceof AppError) return errorResponse(error);
    console.error("Media upload failed:", error);
    return jsonError(500, "INTERNAL", "The image could not be saved.");
  }
}

async function upload(request: Request): Promise<Response> {
  if (!isAllowedRequestOrigin(request, { trustProxy: serverEnv().HEARTH_TRUST_PROXY })) {
    throw new AppError("FORBIDDEN_ORIGIN", "Cross-origin request refused.");
  }
  const valid = await validateRequestSession(request.headers);
  if (!valid) throw new AppError("UNAUTHENTICATED", "Sign in to upload images.");

  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    return jsonError(400, "MEDIA_INVALID", "Send the image as multipart/form-data.");
  }
  const declaredLength = Number(request.headers.get("content-length") ?? "0");
  if (declaredLength > MAX_BODY_BYTES) throw new AppError("MEDIA_TOO_LARGE", TOO_LARGE_MESSAGE);

  const accountId = valid.account.id;
  await enforceRateLimit(rateLimitRules.mediaUploadsPerAccount, accountId);

  const body = await readBodyWithin(request, MAX_BODY_BYTES);
  if (!body) throw new AppError("MEDIA_TOO_LARGE", TOO_LARGE_MESSAGE);
  const file = await singleFileField(body, contentType);
  if (!file) return jsonError(400, "MEDIA_INVALID", "Send exactly one image in the `file` field.");
  if (file.size > MAX_UPLOAD_BYTES) throw new AppError("MEDIA_TOO_LARGE", TOO_LARGE_MESSAGE);

  const image = await processImage(new Uint8Array(await file.arrayBuffer()), { maxBytes: MAX_UPLOAD_BYTES });
  const storageKey = randomStorageKey();
  try {
    const storage = mediaStorage();
    await storage.put(storageKey, image.full.bytes);
    await storage.put(previewKeyOf(storageKey), image.preview.bytes);
    const { id } = await createMedia({
      actor: person(accountId),
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
}

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

const STATUS_OF: Partial<Record<AppErrorCode, number>> = {
  FORBIDDEN_ORIGIN: 403,
  UNAUTHENTICATED: 401,
  RATE_LIMITED: 429,
  MEDIA_TOO_LARGE: 413,
  // Only processImage throws it: the bytes are not an image type Hearth accepts.
  MEDIA_INVALID: 415,
};

function errorResponse(error: AppError): Response {
  const status = STATUS_OF[error.code] ?? 400;
  const response = jsonError(status, error.code, error.message);
  if (error.details.retryAfterSeconds !== undefined) {
    response.headers.set("Retry-After", String(error.details.retryAfterSeconds));
  }
  return response;
}

function jsonError(status: number, code: AppErrorCode | "INTERNAL", message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { "Cache-Control": "no-store" } });
}
