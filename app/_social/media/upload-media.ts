// Uploads one image to /api/media/upload. XMLHttpRequest rather than fetch because only it
// reports upload progress. Files the server would refuse anyway are refused here first, without
// sending them.

export interface UploadedMedia {
  id: string;
  width: number;
  height: number;
  previewUrl: string;
}

/** Error codes as the upload route sends them, plus the two that never reach it. */
export type UploadErrorCode = "MEDIA_INVALID" | "MEDIA_TOO_LARGE" | "RATE_LIMITED" | "UNAUTHENTICATED" | "FORBIDDEN_ORIGIN" | "network" | "unknown" | "aborted";

export class UploadError extends Error {
  override name = "UploadError";
  constructor(
    readonly code: UploadErrorCode,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(code);
  }
}

export const ACCEPTED_IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"];
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

const KNOWN_CODES = new Set<string>(["MEDIA_INVALID", "MEDIA_TOO_LARGE", "RATE_LIMITED", "UNAUTHENTICATED", "FORBIDDEN_ORIGIN"]);

function isUploadedMedia(body: unknown): body is UploadedMedia {
  if (typeof body !== "object" || body === null) return false;
  const b = body as Record<string, unknown>;
  return typeof b.id === "string" && typeof b.width === "number" && typeof b.height === "number" && typeof b.previewUrl === "string";
}

function errorCodeOf(body: unknown, status: number): UploadErrorCode {
  const code = typeof body === "object" && body !== null ? (body as { error?: { code?: unknown } }).error?.code : undefined;
  if (typeof code === "string" && KNOWN_CODES.has(code)) return code as UploadErrorCode;
  if (status === 413) return "MEDIA_TOO_LARGE";
  if (status === 415) return "MEDIA_INVALID";
  return "unknown";
}

export function uploadMedia(file: File, options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {}): Promise<UploadedMedia> {
  if (!ACCEPTED_IMAGE_TYPES.includes(file.type)) return Promise.reject(new UploadError("MEDIA_INVALID"));
  if (file.size > MAX_IMAGE_BYTES) return Promise.reject(new UploadError("MEDIA_TOO_LARGE"));
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/media/upload");
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body: unknown = xhr.response;
      if (xhr.status >= 200 && xhr.status < 300 && isUploadedMedia(body)) {
        resolve(body);
        return;
      }
      const retryAfter = Number(xhr.getResponseHeader("Retry-After"));
      reject(new UploadError(errorCodeOf(body, xhr.status), Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null));
    };
    xhr.onerror = () => reject(new UploadError("network"));
    xhr.onabort = () => reject(new UploadError("aborted"));
    options.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}
