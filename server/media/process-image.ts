// Turns an untrusted upload into the two files Hearth serves. Invariants:
// - the type is read from the bytes, never from the client's name or MIME type, and only JPEG,
//   PNG, WebP and GIF reach a decoder (no SVG, HEIC, TIFF…: less parser surface, no scripts);
// - dimensions are checked from the header before any pixel is decoded (decompression bombs);
// - the output is re-encoded pixels only: no EXIF, GPS, XMP, IPTC or ICC survives, because sharp
//   strips all metadata unless asked to keep it, and nothing here asks.
import "server-only";
import sharp from "sharp";
import { AppError } from "../errors";

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** 40 MP: above any ordinary camera's default output, far below what would exhaust memory. */
export const DEFAULT_MAX_PIXELS = 40_000_000;
export const FULL_MAX_SIDE = 2048;
export const PREVIEW_MAX_SIDE = 640;
/** Both variants are WebP: it keeps transparency (PNG, GIF) in one format and is smaller than JPEG. */
export const PROCESSED_MIME_TYPE = "image/webp";

const PROCESSING_TIMEOUT_SECONDS = 20;

// Each upload is decoded once and never again, so libvips' operation cache would only keep
// people's pictures in memory for nothing.
sharp.cache(false);

type AcceptedFormat = "jpeg" | "png" | "webp" | "gif";

export interface ProcessedImage {
  full: { bytes: Uint8Array; mimeType: string; width: number; height: number };
  preview: { bytes: Uint8Array };
}

/**
 * Validates an uploaded image and re-encodes it: oriented by its EXIF orientation, then stripped
 * of all metadata, as a full size (at most 2048 px on the long side) and a preview (at most
 * 640 px). An animated GIF or WebP keeps only its first frame.
 * @throws AppError MEDIA_TOO_LARGE (more than `maxBytes`, or more than `maxPixels` pixels) |
 * MEDIA_INVALID (not a JPEG, PNG, WebP or GIF, or not decodable)
 */
export async function processImage(bytes: Uint8Array, options: { maxBytes: number; maxPixels?: number }): Promise<ProcessedImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (bytes.byteLength > options.maxBytes) {
    throw new AppError("MEDIA_TOO_LARGE", `Images can be at most ${formatMegabytes(options.maxBytes)}.`);
  }
  const format = sniffFormat(bytes);
  if (!format) throw new AppError("MEDIA_INVALID", "Only JPEG, PNG, WebP and GIF images are accepted.");

  // Reads the header only, without the pixel limit, so that an oversized image is reported as
  // such (below) rather than as unreadable.
  const metadata = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch(() => {
      throw new AppError("MEDIA_INVALID", "The image could not be read.");
    });
  // The decoder libvips picked must be the one the magic bytes promised.
  if (metadata.format !== format) throw new AppError("MEDIA_INVALID", "The image could not be read.");
  if (metadata.width * metadata.height > maxPixels) {
    throw new AppError("MEDIA_TOO_LARGE", `Images can have at most ${Math.floor(maxPixels / 1_000_000)} megapixels.`);
  }

  try {
    const full = await sharp(bytes, {
      // A backstop for the header check above, enforced by libvips itself.
      limitInputPixels: maxPixels,
      // Real phone photos often carry harmless warnings; broken or truncated data is refused.
      failOn: "error",
      autoOrient: true,
    })
      .timeout({ seconds: PROCESSING_TIMEOUT_SECONDS })
      .resize({ width: FULL_MAX_SIDE, height: FULL_MAX_SIDE, fit: "inside", withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    // From the full size rather than the upload: one decode of a possibly huge original, not two.
    const preview = await sharp(full.data)
      .resize({ width: PREVIEW_MAX_SIDE, height: PREVIEW_MAX_SIDE, fit: "inside", withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
    return {
      full: { bytes: full.data, mimeType: PROCESSED_MIME_TYPE, width: full.info.width, height: full.info.height },
      preview: { bytes: preview },
    };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("MEDIA_INVALID", "The image could not be processed.");
  }
}

function sniffFormat(bytes: Uint8Array): AcceptedFormat | null {
  const startsWith = (signature: readonly number[], offset = 0) =>
    bytes.byteLength >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);
  const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));
  if (startsWith([0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(ascii("GIF87a")) || startsWith(ascii("GIF89a"))) return "gif";
  if (startsWith(ascii("RIFF")) && startsWith(ascii("WEBP"), 8)) return "webp";
  return null;
}

function formatMegabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}
