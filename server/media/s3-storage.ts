// MediaStorage on any S3-compatible object store, so that several app instances share media and
// chat attachments. A whole file (`put`) is one object, `<prefix><key>`; a resumable upload
// (`append`) is one object per part, `<prefix><key>/<offset, 15 digits>`, read back in offset order.
// Parts, not a multipart upload: S3 wants parts of 5 MiB or more but a client's last part, or any
// part after a resume, may be smaller, and a part written but never recorded must be replaced by
// the next append at its offset, which for part objects is a delete. Nothing is held in memory but
// the part being written: reads are streams of ranged GETs.
import "server-only";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { assertMediaKey, type MediaStorage } from "./media-store";

export interface S3StorageSettings {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

const OFFSET_DIGITS = 15;

interface Part {
  name: string;
  offset: number;
  size: number;
}

function isMissing(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === "NoSuchKey" || error.name === "NotFound" || error.$metadata.httpStatusCode === 404);
}

export function s3Client(settings: S3StorageSettings): S3Client {
  return new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials:
      settings.accessKeyId && settings.secretAccessKey ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } : undefined,
    // Checksums only where S3 demands them: many S3-compatible stores reject the newer trailing ones.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** A store under `prefix` (e.g. "media/") in one bucket. */
export function s3Storage(options: { client: S3Client; bucket: string; prefix: string }): MediaStorage {
  const { client, bucket, prefix } = options;
  const objectOf = (key: string) => {
    assertMediaKey(key);
    return `${prefix}${key}`;
  };
  const partsPrefixOf = (key: string) => `${objectOf(key)}/`;

  /** The parts of an appended file, in offset order. */
  async function listParts(key: string): Promise<Part[]> {
    const partsPrefix = partsPrefixOf(key);
    const parts: Part[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: partsPrefix, ContinuationToken: continuationToken }));
      for (const object of page.Contents ?? []) {
        const suffix = object.Key?.slice(partsPrefix.length) ?? "";
        if (!/^\d+$/.test(suffix)) continue;
        parts.push({ name: object.Key!, offset: Number(suffix), size: object.Size ?? 0 });
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
    return parts.sort((a, b) => a.offset - b.offset);
  }

  /** The parts that make one contiguous file from 0: a file's bytes end where the first gap begins. */
  function contiguous(parts: Part[]): Part[] {
    const kept: Part[] = [];
    let end = 0;
    for (const part of parts) {
      if (part.offset !== end) break;
      kept.push(part);
      end += part.size;
    }
    return kept;
  }

  async function deleteObjects(names: string[]): Promise<void> {
    for (let i = 0; i < names.length; i += 1000) {
      const batch = names.slice(i, i + 1000);
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
    }
  }

  async function getBody(name: string, range?: string): Promise<ReadableStream<Uint8Array>> {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: name, Range: range }));
    if (!response.Body) throw new Error(`The store sent no body for ${name}.`);
    return response.Body.transformToWebStream() as ReadableStream<Uint8Array>;
  }

  /** The whole object's size, or null when it does not exist. */
  async function headSize(name: string): Promise<number | null> {
    try {
      return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: name }))).ContentLength ?? 0;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  return {
    async put(key, bytes) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: objectOf(key), Body: bytes, ContentLength: bytes.byteLength }));
    },

    async putFile(key, filePath) {
      const { size } = await stat(filePath);
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: objectOf(key), Body: createReadStream(filePath), ContentLength: size }));
    },

    async append(key, bytes, { at }) {
      const parts = await listParts(key);
      const kept = contiguous(parts.filter((part) => part.offset < at));
      const end = kept.reduce((sum, part) => sum + part.size, 0);
      if (end < at) throw new Error(`Media file ${key} holds ${end} bytes, fewer than the ${at} recorded.`);
      // A part reaching past `at` (only after a caller cut back into it) would leave bytes behind.
      if (end > at) throw new Error(`Media file ${key} cannot be cut back to byte ${at}: a part spans it.`);
      await deleteObjects(parts.filter((part) => part.offset >= at).map((part) => part.name));
      // S3's PUT is durable once answered: the caller may record the new length next.
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${partsPrefixOf(key)}${String(at).padStart(OFFSET_DIGITS, "0")}`,
          Body: bytes,
          ContentLength: bytes.byteLength,
        }),
      );
    },

    async size(key) {
      const whole = await headSize(objectOf(key));
      if (whole !== null) return whole;
      const parts = contiguous(await listParts(key));
      return parts.length ? parts.reduce((sum, part) => sum + part.size, 0) : null;
    },

    async read(key, options = {}) {
      const start = options.start ?? 0;
      const whole = await headSize(objectOf(key));
      if (whole !== null) {
        // An empty range is no valid Range header: an empty stream instead.
        const stream = start >= whole ? new Blob([]).stream() : await getBody(objectOf(key), start > 0 ? `bytes=${start}-` : undefined);
        return { stream, size: whole };
      }
      const parts = contiguous(await listParts(key));
      if (!parts.length) return null;
      const size = parts.reduce((sum, part) => sum + part.size, 0);
      const wanted = parts.filter((part) => part.offset + part.size > start);
      let index = 0;
      let current: ReadableStreamDefaultReader<Uint8Array> | null = null;
      // One part's GET at a time, opened when the previous one is used up.
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          for (;;) {
            if (!current) {
              const part = wanted[index++];
              if (!part) return controller.close();
              const from = Math.max(0, start - part.offset);
              current = (await getBody(part.name, from > 0 ? `bytes=${from}-` : undefined)).getReader();
            }
            const { done, value } = await current.read();
            if (done) {
              current = null;
              continue;
            }
            return controller.enqueue(value);
          }
        },
        async cancel(reason) {
          await current?.cancel(reason);
        },
      });
      return { stream, size };
    },

    async delete(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectOf(key) }));
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
      const parts = await listParts(key);
      if (parts.length) await deleteObjects(parts.map((part) => part.name));
    },
  };
}
