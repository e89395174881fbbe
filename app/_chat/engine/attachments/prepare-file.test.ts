// The parts of preparing a file that need no canvas: names without paths or disguises, MIME types,
// kinds, scaling, the thumbnail's shrinking until it fits, and which bytes are sent for a photo,
// a GIF, a file the browser cannot decode, a video and anything too large (with a fake of the
// browser's decoding; drawing a real JPEG without metadata is the end-to-end tests' to check).
import { describe, expect, it } from "vitest";
import { MAX_ATTACHMENT_BYTES } from "../../crypto";
import { decodeContent, encodeContent, MAX_CONTENT_BYTES, MAX_THUMBNAIL_BYTES, type AttachmentRef } from "../chat-content";
import type { StoredAttachment } from "../records";
import { fakeMediaTools, fakePhoto, fakeVideo } from "../testing/fake-media-tools";
import { MAX_ATTACHMENT_SIZE } from "../types";
import { refsOf } from "./attachment-view";
import { fitThumbnails, thumbnailShare } from "./content-budget";
import type { DecodedImage } from "./media-tools";
import { attachmentKindOf, cleanFileName, cleanMimeType, fitWithin, prepareFile, THUMBNAIL_STEPS, thumbnailOf, withExtension } from "./prepare-file";

const media = fakeMediaTools();
const GPS_TAG = "EXIF GPSLatitude 48.858370 N GPSLongitude 2.294481 E Canon EOS R5";

describe("file names", () => {
  it("keep only the last path segment and nothing that could disguise them", () => {
    expect(cleanFileName("C:\\Users\\alice\\Desktop\\report.pdf")).toBe("report.pdf");
    expect(cleanFileName("/home/alice/../../etc/passwd")).toBe("passwd");
    expect(cleanFileName("  holiday photo.JPG ")).toBe("holiday photo.JPG");
    // A right-to-left override would show "invoice<U+202E>fdp.exe" as "invoiceexe.pdf".
    expect(cleanFileName("invoice\u202efdp.exe")).toBe("invoicefdp.exe");
    expect(cleanFileName("tab\there\nnew\u0000line")).toBe("tabherenewline");
    for (const nothing of ["", "   ", ".", "..", "dir/", "\u200b"]) expect(cleanFileName(nothing)).toBe("file");
  });

  it("stay within 255 code units, keeping the extension and whole characters", () => {
    const long = cleanFileName(`${"a".repeat(300)}.tar.gz`);
    expect(long).toHaveLength(255);
    expect(long.endsWith(".gz")).toBe(true);
    const emoji = cleanFileName(`${"x".repeat(251)}😀😀.txt`);
    expect(emoji.length).toBeLessThanOrEqual(255);
    expect(emoji).toBe(`${"x".repeat(251)}.txt`);
    expect(withExtension("IMG_1234.HEIC", "jpg")).toBe("IMG_1234.jpg");
    expect(withExtension("photo", "jpg")).toBe("photo.jpg");
    expect(withExtension(".hidden", "jpg")).toBe(".hidden.jpg");
    expect(withExtension("y".repeat(255), "jpg")).toHaveLength(255);
  });
});

describe("types and kinds", () => {
  it("clean MIME types, and tell pictures, videos and voice from files", () => {
    expect(cleanMimeType("Image/JPEG; charset=binary")).toBe("image/jpeg");
    expect(cleanMimeType("")).toBe("application/octet-stream");
    expect(cleanMimeType("text/html<script>")).toBe("application/octet-stream");
    expect(cleanMimeType(`application/${"x".repeat(100)}`)).toBe("application/octet-stream");
    expect(
      ["image/jpeg", "image/png", "image/webp", "image/heic", "image/gif", "image/svg+xml", "video/mp4", "audio/ogg", "application/pdf", "text/html"].map(
        attachmentKindOf,
      ),
    ).toEqual(["image", "image", "image", "image", "image", "file", "video", "voice", "file", "file"]);
  });

  it("scale down to the longest side, never up", () => {
    expect(fitWithin({ width: 6000, height: 4000 }, 4096)).toEqual({ width: 4096, height: 2731 });
    expect(fitWithin({ width: 1000, height: 8000 }, 4096)).toEqual({ width: 512, height: 4096 });
    expect(fitWithin({ width: 800, height: 600 }, 4096)).toEqual({ width: 800, height: 600 });
    expect(fitWithin({ width: 100_000, height: 1 }, 160)).toEqual({ width: 160, height: 1 });
  });
});

describe("thumbnails", () => {
  /** An image whose JPEGs take `bytes(step)` bytes, recording what was asked. */
  function image(bytes: (step: { maxSide: number; quality: number }) => number): DecodedImage & { asked: { maxSide: number; quality: number }[] } {
    const asked: { maxSide: number; quality: number }[] = [];
    return {
      width: 4000,
      height: 3000,
      asked,
      toJpeg: async (step) => (asked.push(step), new Blob([new Uint8Array(bytes(step))], { type: "image/jpeg" })),
      close: () => undefined,
    };
  }

  it("lower the quality, then the size, until one fits, and give up when none does", async () => {
    const first = image(() => 3000);
    expect((await thumbnailOf(first, MAX_THUMBNAIL_BYTES))?.length).toBe(3000);
    expect(first.asked).toEqual([THUMBNAIL_STEPS[0]]);

    const shrinking = image(({ maxSide, quality }) => Math.round(maxSide * maxSide * quality * 0.5));
    const fitted = await thumbnailOf(shrinking, 3000);
    expect(fitted!.length).toBeLessThanOrEqual(3000);
    expect(shrinking.asked.at(-1)).toEqual({ maxSide: 120, quality: 0.35 });
    expect(shrinking.asked.slice(0, 4).map((s) => s.maxSide)).toEqual([160, 160, 160, 160]);

    const never = image(() => 100_000);
    expect(await thumbnailOf(never, MAX_THUMBNAIL_BYTES)).toBeUndefined();
    expect(never.asked).toEqual(THUMBNAIL_STEPS);
    expect(
      await thumbnailOf(
        image(() => 1),
        0,
      ),
    ).toBeUndefined();
  });

  it("share the room a message leaves: 8 KiB each for a few files, less for ten and a long caption, and always fitting", () => {
    expect(thumbnailShare("", [{ name: "a.jpg", type: "image/jpeg" }])).toBe(MAX_THUMBNAIL_BYTES);
    const ten = Array.from({ length: 10 }, (_, i) => ({ name: `${"é".repeat(240)}${i}.jpg`, type: "image/jpeg" }));
    const caption = "\u0001".repeat(4000);
    const share = thumbnailShare(caption, ten);
    expect(share).toBeGreaterThan(500);
    expect(share).toBeLessThan(MAX_THUMBNAIL_BYTES);

    // Ten files with thumbnails of that share, ids and keys at full length: within the content's limit, and readable.
    const attachments: StoredAttachment[] = ten.map((f, i) => ({
      localId: crypto.randomUUID(),
      name: f.name,
      type: f.type,
      kind: "image",
      size: MAX_ATTACHMENT_SIZE,
      width: 4096,
      height: 4096,
      thumbnail: "A".repeat(Math.floor((share * 4) / 3)),
      blob: { id: crypto.randomUUID(), key: `${"k".repeat(42)}${"A"}`, digest: `${String(i).repeat(42).slice(0, 42)}A` },
      status: "downloaded",
    }));
    expect(fitThumbnails(caption, attachments)).toEqual(attachments);
    const content = {
      t: "group-text" as const,
      id: crypto.randomUUID(),
      groupId: crypto.randomUUID(),
      body: caption,
      sentAt: Date.now(),
      attachments: refsOf(attachments),
    };
    expect(encodeContent(content).length).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
    expect(decodeContent(encodeContent(content))).toEqual(content);

    // Thumbnails larger than the room (made elsewhere, or before the caption grew): the largest go first.
    const big = attachments.map((a, i) => ({ ...a, thumbnail: "B".repeat(i === 3 ? 10_900 : 6000) }));
    const fitted = fitThumbnails(caption, big);
    expect(fitted[3]!.thumbnail).toBeUndefined();
    expect(encodeContent({ ...content, attachments: refsOf(fitted) }).length).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
  });
});

describe("preparing a file", () => {
  it("draws a photo again as a JPEG at most 4096 px, named .jpg, without what followed the picture", async () => {
    const prepared = await prepareFile(fakePhoto({ width: 8000, height: 6000, name: "IMG_7.HEIC", type: "image/heic", tail: GPS_TAG }), {
      media,
      thumbnailBytes: MAX_THUMBNAIL_BYTES,
    });
    expect(prepared).toMatchObject({ name: "IMG_7.jpg", type: "image/jpeg", kind: "image", width: 4096, height: 3072 });
    const bytes = new TextDecoder().decode(await prepared.blob.arrayBuffer());
    expect(bytes.startsWith('FAKEJPEG{"width":4096,"height":3072,"quality":0.85}')).toBe(true);
    // Random bytes follow the fake's header: a tag this long cannot turn up there by chance.
    expect(bytes).not.toContain(GPS_TAG);
    expect(prepared.thumbnail!.length).toBeLessThanOrEqual(MAX_THUMBNAIL_BYTES);
    expect(new TextDecoder().decode(prepared.thumbnail!.subarray(0, 40))).toContain('"width":160,"height":120');
  });

  it("keeps a GIF as it is, sends what cannot be decoded as a file, and reads a video's frame and length", async () => {
    const gif = fakePhoto({ width: 300, height: 200, name: "dance.gif", type: "image/gif", tail: "frames" });
    const keptGif = await prepareFile(gif, { media, thumbnailBytes: MAX_THUMBNAIL_BYTES });
    expect(keptGif).toMatchObject({
      blob: gif,
      name: "dance.gif",
      type: "image/gif",
      kind: "image",
      width: 300,
      height: 200,
      thumbnail: expect.any(Uint8Array),
    });

    const heic = new File(["not a picture this browser reads"], "IMG_8.HEIC", { type: "image/heic" });
    expect(await prepareFile(heic, { media, thumbnailBytes: MAX_THUMBNAIL_BYTES })).toEqual({
      blob: heic,
      name: "IMG_8.HEIC",
      type: "image/heic",
      kind: "file",
    });

    const video = await prepareFile(fakeVideo({ width: 1920, height: 1080, durationMs: 12_345 }), { media, thumbnailBytes: MAX_THUMBNAIL_BYTES });
    expect(video).toMatchObject({ kind: "video", type: "video/mp4", width: 1920, height: 1080, durationMs: 12_345, thumbnail: expect.any(Uint8Array) });
    const unreadable = await prepareFile(new File(["?"], "clip.webm", { type: "video/webm" }), { media, thumbnailBytes: MAX_THUMBNAIL_BYTES });
    expect(unreadable).toMatchObject({ kind: "video", name: "clip.webm" });
    expect(unreadable.thumbnail).toBeUndefined();
    expect(await prepareFile(new File(["x"], "note.ogg", { type: "audio/ogg" }), { media, thumbnailBytes: 0 })).toMatchObject({ kind: "voice" });
  });

  it("refuses a file past the largest size, and a photo that stays past it once drawn again", async () => {
    // The UI's constant is the crypto core's limit.
    expect(MAX_ATTACHMENT_SIZE).toBe(MAX_ATTACHMENT_BYTES);
    const huge = { name: "disk.img", type: "application/octet-stream", size: MAX_ATTACHMENT_SIZE + 1 } as File;
    await expect(prepareFile(huge, { media, thumbnailBytes: 0 })).rejects.toMatchObject({ code: "chat_attachment_too_large" });
    const heavy = fakeMediaTools({ jpegBytes: (width) => (width > 1000 ? MAX_ATTACHMENT_SIZE + 1 : 100) });
    await expect(prepareFile(fakePhoto({ width: 4000, height: 3000 }), { media: heavy, thumbnailBytes: 0 })).rejects.toMatchObject({
      code: "chat_attachment_too_large",
    });
  });
});

describe("files in the message content", () => {
  const ref = (change: Partial<AttachmentRef> = {}): AttachmentRef => ({
    id: crypto.randomUUID(),
    key: "A".repeat(43),
    digest: "B".repeat(42) + "E",
    size: 1234,
    name: "photo.jpg",
    type: "image/jpeg",
    kind: "image",
    ...change,
  });
  const text = (attachments: unknown, body = "") =>
    new TextEncoder().encode(JSON.stringify({ t: "text", id: crypto.randomUUID(), body, sentAt: 1, attachments }));

  it("need a body or files, and take at most ten distinct files", () => {
    expect(decodeContent(text([ref()]))).not.toBeNull();
    expect(decodeContent(text(undefined, ""))).toBeNull();
    expect(decodeContent(text([], ""))).toBeNull();
    expect(decodeContent(text(Array.from({ length: 10 }, () => ref())))).not.toBeNull();
    expect(decodeContent(text(Array.from({ length: 11 }, () => ref())))).toBeNull();
    const twice = ref();
    expect(decodeContent(text([twice, twice]))).toBeNull();
  });

  it("refuse what a sender could slip into a file's details", () => {
    const refused: Partial<Record<keyof AttachmentRef, unknown>>[] = [
      { name: "../../etc/passwd" },
      { name: "a\\b" },
      { name: "invoice\u202efdp.exe" },
      { name: "" },
      { name: "x".repeat(256) },
      { type: "text/html; charset=utf-8" },
      { type: "Image/JPEG" },
      { key: "A".repeat(42) },
      // 43 characters whose last one carries bits past the 32 bytes.
      { key: "A".repeat(42) + "B" },
      { digest: "A".repeat(42) + "+" },
      { size: -1 },
      { size: MAX_ATTACHMENT_SIZE + 1 },
      { kind: "script" },
      { width: 0 },
      { thumbnail: "A".repeat(10_924) },
      { thumbnail: "not base64url!" },
      { id: "not-a-uuid" },
    ];
    for (const change of refused) expect(decodeContent(text([{ ...ref(), ...change }])), JSON.stringify(change).slice(0, 60)).toBeNull();
  });
});
