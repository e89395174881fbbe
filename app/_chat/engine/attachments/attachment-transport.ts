// Where encrypted attachments travel: /api/chat/attachments/{id}, a route handler (not tRPC):
// HEAD says where an upload stands, PATCH adds the next part at an offset (the server counts only
// whole parts), GET (with Range: bytes=N-) downloads from a byte. Injected through the
// EngineEnvironment, so engine tests use a fake of this API kept by the fake chat server.

/** Why a transfer request failed, as the engine branches on it. */
export type AttachmentTransportFailure =
  /** No answer (offline, connection dropped) or a 5xx: worth trying again. */
  | "unavailable"
  /** 404 (or 416 past the end): the upload or blob is gone (expired, delivered, or never for this device). */
  | "gone"
  /** 409 on PATCH: the upload stands elsewhere, at `offset`. */
  | "offset-mismatch"
  /** Any other refusal: trying again will not help. */
  | "refused"
  /** The AbortSignal fired. */
  | "aborted";

export class AttachmentTransportError extends Error {
  constructor(
    readonly failure: AttachmentTransportFailure,
    /** For "offset-mismatch": where the server's upload stands. */
    readonly offset: number | null = null,
  ) {
    super(`attachment transfer: ${failure}`);
    this.name = "AttachmentTransportError";
  }
}

export interface AttachmentTransport {
  /** Where the upload stands: the bytes the server has counted. @throws AttachmentTransportError */
  offset(id: string, signal?: AbortSignal): Promise<number>;
  /**
   * Sends `part` to be stored from `offset`; resolves to the new offset. `onProgress` hears the
   * part's bytes sent so far (where the browser tells).
   * @throws AttachmentTransportError ("offset-mismatch" with the server's offset on a 409)
   */
  append(id: string, offset: number, part: Uint8Array, options?: { signal?: AbortSignal; onProgress?: (sentBytes: number) => void }): Promise<number>;
  /** The blob's bytes from byte `start` on, for this device. @throws AttachmentTransportError */
  download(id: string, deviceRowId: string, start: number, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>>;
}

const urlOf = (id: string) => `/api/chat/attachments/${encodeURIComponent(id)}`;

export const httpAttachmentTransport: AttachmentTransport = {
  async offset(id, signal) {
    const response = await request(urlOf(id), { method: "HEAD", cache: "no-store", ...(signal && { signal }) });
    if (response.status !== 204) throw failureOf(response);
    return offsetHeader(response);
  },

  // XMLHttpRequest, not fetch: only it reports an upload's progress.
  append(id, offset, part, options = {}) {
    const { signal, onProgress } = options;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new AttachmentTransportError("aborted"));
      const xhr = new XMLHttpRequest();
      const abort = () => xhr.abort();
      signal?.addEventListener("abort", abort, { once: true });
      const settle = () => signal?.removeEventListener("abort", abort);
      xhr.open("PATCH", urlOf(id));
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.setRequestHeader("Upload-Offset", String(offset));
      if (onProgress) xhr.upload.onprogress = (event) => onProgress(event.loaded);
      xhr.onload = () => {
        settle();
        const headerOffset = Number(xhr.getResponseHeader("Upload-Offset"));
        if (xhr.status === 204 && Number.isSafeInteger(headerOffset)) resolve(headerOffset);
        else if (xhr.status === 409 && Number.isSafeInteger(headerOffset)) reject(new AttachmentTransportError("offset-mismatch", headerOffset));
        else reject(new AttachmentTransportError(failureOfStatus(xhr.status)));
      };
      xhr.onerror = () => (settle(), reject(new AttachmentTransportError("unavailable")));
      xhr.ontimeout = xhr.onerror;
      xhr.onabort = () => (settle(), reject(new AttachmentTransportError("aborted")));
      xhr.send(part as Uint8Array<ArrayBuffer>);
    });
  },

  async download(id, deviceRowId, start, signal) {
    const headers: HeadersInit = start > 0 ? { Range: `bytes=${start}-` } : {};
    const response = await request(`${urlOf(id)}?device=${encodeURIComponent(deviceRowId)}`, { cache: "no-store", headers, ...(signal && { signal }) });
    if (!response.ok || !response.body) throw failureOf(response);
    // A server that ignored the Range sent everything: skip what we have.
    if (start > 0 && response.status === 200) return response.body.pipeThrough(skipBytes(start));
    return response.body;
  },
};

async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw new AttachmentTransportError(init.signal?.aborted || (error as { name?: unknown }).name === "AbortError" ? "aborted" : "unavailable");
  }
}

function offsetHeader(response: Response): number {
  const offset = Number(response.headers.get("Upload-Offset"));
  if (!Number.isSafeInteger(offset) || offset < 0) throw new AttachmentTransportError("refused");
  return offset;
}

function failureOf(response: Response): AttachmentTransportError {
  return new AttachmentTransportError(failureOfStatus(response.status));
}

function failureOfStatus(status: number): AttachmentTransportFailure {
  if (status === 0 || status >= 500 || status === 408 || status === 429) return "unavailable";
  if (status === 404 || status === 410 || status === 416) return "gone";
  return "refused";
}

function skipBytes(count: number): TransformStream<Uint8Array, Uint8Array> {
  let left = count;
  return new TransformStream({
    transform(chunk, controller) {
      if (left >= chunk.length) {
        left -= chunk.length;
        return;
      }
      controller.enqueue(left ? chunk.subarray(left) : chunk);
      left = 0;
    },
  });
}
