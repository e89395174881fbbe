// MediaTools in the browser: createImageBitmap decodes (applying the EXIF orientation), an
// OffscreenCanvas (or a canvas element where there is none) draws the pixels again and encodes a
// new JPEG, which carries none of the original's metadata. Videos and audio are read by media
// elements on a blob: URL (the CSP's media-src allows blob:), with a time limit.
import type { DecodedImage, MediaTools } from "./media-tools";

/** How long a video or audio file may take to show its first frame or length. */
const MEDIA_READ_TIMEOUT_MS = 5_000;

export function browserMediaTools(): MediaTools {
  return {
    async decodeImage(file) {
      try {
        return bitmapImage(await createImageBitmap(file, { imageOrientation: "from-image" }));
      } catch {
        return null;
      }
    },
    async videoPreview(file) {
      return withMediaElement("video", file, async (video) => {
        await eventOf(video, "loadeddata");
        const durationMs = Number.isFinite(video.duration) ? Math.round(video.duration * 1000) : null;
        if (!video.videoWidth || !video.videoHeight) return null;
        return { frame: bitmapImage(await createImageBitmap(video)), durationMs };
      });
    },
    async audioDurationMs(file) {
      return withMediaElement("audio", file, async (audio) => {
        await eventOf(audio, "loadedmetadata");
        return Number.isFinite(audio.duration) ? Math.round(audio.duration * 1000) : null;
      });
    },
  };
}

function bitmapImage(bitmap: ImageBitmap): DecodedImage {
  return {
    width: bitmap.width,
    height: bitmap.height,
    async toJpeg({ maxSide, quality }) {
      const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
      const width = Math.max(1, Math.round(bitmap.width * scale));
      const height = Math.max(1, Math.round(bitmap.height * scale));
      return drawAsJpeg(bitmap, width, height, quality);
    },
    close: () => bitmap.close(),
  };
}

async function drawAsJpeg(bitmap: ImageBitmap, width: number, height: number, quality: number): Promise<Blob> {
  if (typeof OffscreenCanvas !== "undefined") {
    const canvas = new OffscreenCanvas(width, height);
    paint(canvas.getContext("2d"), bitmap, width, height);
    return canvas.convertToBlob({ type: "image/jpeg", quality });
  }
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  paint(canvas.getContext("2d"), bitmap, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("canvas gave no JPEG"))), "image/jpeg", quality));
}

function paint(context: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null, bitmap: ImageBitmap, width: number, height: number): void {
  if (!context) throw new Error("no 2D canvas");
  // JPEG has no transparency: what was transparent becomes white, not black.
  context.fillStyle = "#fff";
  context.fillRect(0, 0, width, height);
  context.imageSmoothingQuality = "high";
  context.drawImage(bitmap, 0, 0, width, height);
}

/** Runs `read` on a media element playing `file`, within the time limit; null when it fails or takes too long. */
async function withMediaElement<E extends "video" | "audio", R>(
  kind: E,
  file: Blob,
  read: (element: HTMLElementTagNameMap[E]) => Promise<R | null>,
): Promise<R | null> {
  const url = URL.createObjectURL(file);
  const element = document.createElement(kind);
  element.muted = true;
  element.preload = "auto";
  element.src = url;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), MEDIA_READ_TIMEOUT_MS)));
    return await Promise.race([read(element), timeout]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    element.removeAttribute("src");
    element.load();
    URL.revokeObjectURL(url);
  }
}

function eventOf(element: HTMLMediaElement, name: "loadeddata" | "loadedmetadata"): Promise<void> {
  return new Promise((resolve, reject) => {
    element.addEventListener(name, () => resolve(), { once: true });
    element.addEventListener("error", () => reject(new Error("media could not be read")), { once: true });
  });
}
