// Engine tests: a fake of the browser's image and video decoding (createImageBitmap, canvas,
// <video>), which Node lacks. Its "pictures" are files that begin with FAKEIMG and their size in
// JSON, followed by whatever the test puts there (such as a GPS tag); "drawn again as JPEG" they
// become FAKEJPEG, their size and quality and random bytes, with nothing of the original's tail.
// So a test sees which bytes were sent, not how a canvas draws.
import type { DecodedImage, MediaTools } from "../attachments/media-tools";

const IMAGE_MAGIC = "FAKEIMG";
const VIDEO_MAGIC = "FAKEVID";

export interface FakeMediaOptions {
  /** How many bytes a JPEG of this size and quality takes (by default about w·h·q/6). */
  jpegBytes?: (width: number, height: number, quality: number) => number;
}

/** A picture file the fake decodes: `tail` stands for what a camera adds (EXIF, GPS). */
export function fakePhoto(options: { width: number; height: number; name?: string; type?: string; tail?: string }): File {
  const header = `${IMAGE_MAGIC}${JSON.stringify({ width: options.width, height: options.height })}\n`;
  return new File([header, options.tail ?? ""], options.name ?? "IMG_0001.PNG", { type: options.type ?? "image/png" });
}

/** A video file the fake reads: its first frame's size and its length. */
export function fakeVideo(options: { width: number; height: number; durationMs: number; name?: string; bytes?: number }): File {
  const header = `${VIDEO_MAGIC}${JSON.stringify({ width: options.width, height: options.height, durationMs: options.durationMs })}\n`;
  return new File([header, randomBytes(options.bytes ?? 10_000)], options.name ?? "clip.mp4", { type: "video/mp4" });
}

export function fakeMediaTools(options: FakeMediaOptions = {}): MediaTools {
  const jpegBytes = options.jpegBytes ?? ((width, height, quality) => Math.max(600, Math.round((width * height * quality) / 6)));
  const image = (width: number, height: number): DecodedImage => ({
    width,
    height,
    async toJpeg({ maxSide, quality }) {
      const scale = Math.min(1, maxSide / Math.max(width, height));
      const w = Math.max(1, Math.round(width * scale));
      const h = Math.max(1, Math.round(height * scale));
      const header = `FAKEJPEG${JSON.stringify({ width: w, height: h, quality })}\n`;
      return new Blob([header, randomBytes(Math.max(0, jpegBytes(w, h, quality) - header.length))], { type: "image/jpeg" });
    },
    close: () => undefined,
  });
  return {
    async decodeImage(file) {
      const header = await headerOf(file, IMAGE_MAGIC);
      return header ? image(header.width, header.height) : null;
    },
    async videoPreview(file) {
      const header = await headerOf(file, VIDEO_MAGIC);
      return header ? { frame: image(header.width, header.height), durationMs: header.durationMs ?? null } : null;
    },
    audioDurationMs: async () => null,
  };
}

async function headerOf(file: Blob, magic: string): Promise<{ width: number; height: number; durationMs?: number } | null> {
  const text = new TextDecoder().decode(await file.slice(0, 200).arrayBuffer());
  if (!text.startsWith(magic)) return null;
  return JSON.parse(text.slice(magic.length, text.indexOf("\n"))) as { width: number; height: number; durationMs?: number };
}

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
  return bytes;
}
