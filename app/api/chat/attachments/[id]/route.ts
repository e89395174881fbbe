// HEAD | PATCH | GET /api/chat/attachments/{id}: the bytes of an encrypted attachment, begun with
// chat.attachments.create. A thin edge over server/data/chat/attachments.ts; the server never
// reads the blob.
//   HEAD (uploader): 204 with Upload-Offset (bytes stored) and Upload-Length (declared size).
//   PATCH (uploader): Upload-Offset and an application/octet-stream part of at most 8 MiB, read
//     whole before anything is stored, so a part cut off is not counted; 204 with the new
//     Upload-Offset, or 409 with the current one when the part does not start there.
//   GET ?device=<device row id> (a recipient device of the caller's), optionally Range: bytes=N-:
//     200 or 206 with the ciphertext, never cached; 416 when N is at or past the end.
// The pipeline refuses PATCH from other origins; errors are JSON, `{ error: { code, message } }`.
import { appendAttachmentBytes, attachmentUploadOffset, MAX_ATTACHMENT_PART_BYTES, openAttachmentDownload } from "@/server/data/chat/attachments";
import { AppError } from "@/server/errors";
import { jsonError, routeHandler } from "@/server/http/route-handler";

const purpose = "core.messaging";
const NO_STORE = { "Cache-Control": "no-store" };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OFFSET_HEADER = "upload-offset";

export const HEAD = routeHandler({ auth: "required", sameOrigin: true, params: ["id"] }, async ({ actor, params }) => {
  const upload = await attachmentUploadOffset({ actor, purpose, id: idOf(params.id) });
  return new Response(null, { status: 204, headers: { ...NO_STORE, "Upload-Offset": String(upload.offset), "Upload-Length": String(upload.size) } });
});

export const PATCH = routeHandler(
  { auth: "required", sameOrigin: true, params: ["id"], bodyLimit: MAX_ATTACHMENT_PART_BYTES },
  async ({ request, actor, params, readBody }) => {
    const id = idOf(params.id);
    const offset = parseOffset(request.headers.get(OFFSET_HEADER));
    if (offset === null) throw new AppError("REQUEST_INVALID", "Upload-Offset must be a byte count without sign or leading zeros.");
    // A form on another site cannot send this type without asking first (CORS preflight).
    if (request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() !== "application/octet-stream") {
      throw new AppError("REQUEST_INVALID", "A part is sent as application/octet-stream.");
    }
    try {
      // Checked before the part is read: a stale offset should not cost 8 MiB of reading.
      const upload = await attachmentUploadOffset({ actor, purpose, id });
      if (offset !== upload.offset) {
        throw new AppError("UPLOAD_OFFSET_MISMATCH", `The upload stands at byte ${upload.offset}; send from there.`, { uploadOffset: upload.offset });
      }
      const bytes = await readBody();
      const stored = await appendAttachmentBytes({ actor, purpose, id, offset, bytes });
      return new Response(null, { status: 204, headers: { ...NO_STORE, "Upload-Offset": String(stored.offset) } });
    } catch (error) {
      if (!(error instanceof AppError) || error.details.uploadOffset === undefined) throw error;
      const conflict = jsonError(error.httpStatus, error.code, error.message);
      conflict.headers.set("Upload-Offset", String(error.details.uploadOffset));
      return conflict;
    }
  },
);

export const GET = routeHandler({ auth: "required", sameOrigin: true, params: ["id"] }, async ({ request, actor, params }) => {
  const id = idOf(params.id);
  const device = new URL(request.url).searchParams.get("device");
  if (!device || !UUID.test(device)) throw new AppError("REQUEST_INVALID", "Name the device to download to: ?device=<device row id>.");
  const start = rangeStartOf(request.headers.get("range"));
  const download = await openAttachmentDownload({ actor, purpose, id, deviceRowId: device.toLowerCase(), start: start ?? 0 });
  if (!download.stream) {
    const refused = jsonError(416, "REQUEST_INVALID", `The attachment has ${download.size} bytes.`);
    refused.headers.set("Content-Range", `bytes */${download.size}`);
    return refused;
  }
  const from = start ?? 0;
  return new Response(download.stream, {
    status: start === null ? 200 : 206,
    headers: {
      ...NO_STORE,
      "Content-Type": "application/octet-stream",
      "Content-Length": String(download.size - from),
      "X-Content-Type-Options": "nosniff",
      "Accept-Ranges": "bytes",
      ...(start !== null && { "Content-Range": `bytes ${from}-${download.size - 1}/${download.size}` }),
    },
  });
});

/** @throws AppError NOT_FOUND for a segment that is not an id (nothing could be stored under it) */
function idOf(segment: string): string {
  if (!UUID.test(segment)) throw new AppError("NOT_FOUND", "No such attachment.");
  return segment.toLowerCase();
}

/** A decimal byte count without sign or leading zeros, or null. */
function parseOffset(header: string | null): number | null {
  if (!header || !/^(0|[1-9][0-9]{0,14})$/.test(header)) return null;
  return Number(header);
}

/**
 * The first byte asked for by `Range: bytes=N-`, the only form a client of ours sends; null
 * without a Range header or with any other form, which is then ignored and the whole blob served
 * (RFC 9110, section 14.2, lets a server ignore Range).
 */
function rangeStartOf(header: string | null): number | null {
  const match = header ? /^bytes=(0|[1-9][0-9]{0,14})-$/.exec(header.trim()) : null;
  return match ? Number(match[1]) : null;
}
