// What a photo's uploader, and anyone who later downloads it, would notice: no location or camera
// details left in the file, the right way up, a sane size; and what an attacker would try: files
// that are not the images they claim to be, oversized files and decompression bombs.
import { crc32, deflateSync } from "node:zlib";
import ExifReader from "exifreader";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { AppError, type AppErrorCode } from "../errors";
import { FULL_MAX_SIDE, MAX_UPLOAD_BYTES, PREVIEW_MAX_SIDE, processImage } from "./process-image";

const limits = { maxBytes: MAX_UPLOAD_BYTES };

function solid(width: number, height: number, background: string | { r: number; g: number; b: number; alpha: number } = "#3a7") {
  return sharp({ create: { width, height, channels: 4, background } });
}

async function expectAppError(promise: Promise<unknown>, code: AppErrorCode): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

/** The RIFF chunk ids of a WebP file, e.g. ["VP8X", "ALPH", "VP8 "]. */
function webpChunks(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ids: string[] = [];
  for (let offset = 12; offset + 8 <= bytes.byteLength;) {
    ids.push(String.fromCharCode(...bytes.subarray(offset, offset + 4)));
    const size = view.getUint32(offset + 4, true);
    offset += 8 + size + (size % 2);
  }
  return ids;
}

async function pixelAt(image: Uint8Array, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const start = (y * info.width + x) * info.channels;
  return [...data.subarray(start, start + 3)];
}

/** A valid PNG of one colour whose header claims `side`×`side` pixels: 1-bit grey, all black. */
function blackSquarePng(side: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.byteLength);
    out.writeUInt32BE(data.byteLength, 0);
    out.write(type, 4, "latin1");
    out.set(data, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.byteLength)), 8 + data.byteLength);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filter, no interlace
  const rows = Buffer.alloc(side * (1 + Math.ceil(side / 8)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

describe("processImage strips metadata", () => {
  it("leaves no camera make, serial number, GPS position, XMP or colour profile in either file", async () => {
    const photo = await solid(600, 400)
      .withExif({
        IFD0: { Make: "Canon", Model: "Canon EOS R5", Artist: "Alice Example" },
        IFD2: { BodySerialNumber: "032021001234", DateTimeOriginal: "2026:05:01 09:30:00" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 2964/100", GPSLongitudeRef: "E", GPSLongitude: "2/1 17/1 4008/100" },
      })
      .withXmp(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
          '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Alice Example</dc:creator>' +
          "</rdf:Description></rdf:RDF></x:xmpmeta>",
      )
      .withIccProfile("p3")
      .jpeg()
      .toBuffer();
    // The input really carries what must disappear.
    const before = ExifReader.load(photo, { expanded: true });
    expect(before.exif?.Make?.description).toBe("Canon");
    expect(photo.includes("032021001234")).toBe(true);
    expect(before.gps?.Latitude).toBeCloseTo(48.858, 3);
    expect(before.xmp).toBeDefined();
    expect(before.icc).toBeDefined();

    const { full, preview } = await processImage(photo, limits);
    for (const bytes of [full.bytes, preview.bytes]) {
      const tags = ExifReader.load(Buffer.from(bytes), { expanded: true });
      expect(tags.exif).toBeUndefined();
      expect(tags.gps).toBeUndefined();
      expect(tags.xmp).toBeUndefined();
      expect(tags.iptc).toBeUndefined();
      expect(tags.icc).toBeUndefined();
      const metadata = await sharp(bytes).metadata();
      expect(metadata.format).toBe("webp");
      expect(metadata).not.toHaveProperty("exif");
      expect(metadata).not.toHaveProperty("xmp");
      expect(metadata).not.toHaveProperty("icc");
      expect(metadata.hasProfile).toBe(false);
      // At the byte level too: only image data chunks, no EXIF, XMP or ICCP chunk.
      for (const id of webpChunks(bytes)) expect(["VP8 ", "VP8L", "VP8X", "ALPH"]).toContain(id);
      expect(Buffer.from(bytes).includes("Canon")).toBe(false);
      expect(Buffer.from(bytes).includes("032021001234")).toBe(false);
      expect(Buffer.from(bytes).includes("Alice Example")).toBe(false);
    }
    expect(full.mimeType).toBe("image/webp");
  });

  it("turns the picture the way its EXIF orientation says, then drops the tag", async () => {
    // 300×200, red on the left and blue on the right; orientation 6 means "rotate 90° clockwise".
    const halves = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#0000ff" } })
      .composite([{ input: { create: { width: 150, height: 200, channels: 3, background: "#ff0000" } }, left: 0, top: 0 }])
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    expect((await sharp(halves).metadata()).orientation).toBe(6);

    const { full } = await processImage(halves, limits);
    expect([full.width, full.height]).toEqual([200, 300]);
    const [topR = 0, , topB = 0] = await pixelAt(full.bytes, 100, 20);
    const [bottomR = 0, , bottomB = 0] = await pixelAt(full.bytes, 100, 280);
    expect(topR).toBeGreaterThan(200);
    expect(topB).toBeLessThan(60);
    expect(bottomB).toBeGreaterThan(200);
    expect(bottomR).toBeLessThan(60);
    expect((await sharp(full.bytes).metadata()).orientation).toBeUndefined();
  });
});

describe("processImage reads the type from the bytes", () => {
  it.each([
    ["JPEG", () => solid(64, 48).jpeg().toBuffer()],
    ["PNG", () => solid(64, 48).png().toBuffer()],
    ["WebP", () => solid(64, 48).webp().toBuffer()],
    ["GIF", () => solid(64, 48).gif().toBuffer()],
  ])("accepts %s", async (_name, make) => {
    const { full, preview } = await processImage(await make(), limits);
    expect([full.width, full.height]).toEqual([64, 48]);
    expect((await sharp(preview.bytes).metadata()).format).toBe("webp");
  });

  it("keeps a PNG's transparency, whatever name or type the browser gave the file", async () => {
    // processImage never sees the client's file name or MIME type: a PNG sent as photo.jpg is a PNG.
    const png = await solid(80, 80, { r: 0, g: 0, b: 0, alpha: 0 }).png().toBuffer();
    const { full } = await processImage(png, limits);
    const metadata = await sharp(full.bytes).metadata();
    expect(metadata.hasAlpha).toBe(true);
    const { data } = await sharp(full.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(data[3]).toBe(0);
  });

  it("keeps only the first frame of an animated GIF", async () => {
    const frame = (colour: string) =>
      sharp({ create: { width: 40, height: 30, channels: 3, background: colour } })
        .png()
        .toBuffer();
    const gif = await sharp([await frame("#ff0000"), await frame("#0000ff")], { join: { animated: true } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);

    const { full } = await processImage(gif, limits);
    const metadata = await sharp(full.bytes).metadata();
    expect(metadata.pages ?? 1).toBe(1);
    expect([full.width, full.height]).toEqual([40, 30]);
    const [r = 0, , b = 0] = await pixelAt(full.bytes, 20, 15);
    expect(r).toBeGreaterThan(200);
    expect(b).toBeLessThan(60);
  });

  it.each([
    ["plain text", async () => new TextEncoder().encode("just some words, not a picture\n")],
    ["SVG", async () => new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>')],
    ["HEIC", async () => Uint8Array.from(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypheic\0\0\0\0mif1heic", "latin1"), Buffer.alloc(64)]))],
    ["AVIF (decodable HEIF)", () => solid(16, 16).avif().toBuffer()],
    ["TIFF", () => solid(16, 16).tiff().toBuffer()],
    ["a JPEG cut off halfway", async () => (await solid(400, 300).jpeg().toBuffer()).subarray(0, 300)],
    ["a JPEG signature followed by a PNG", async () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), await solid(8, 8).png().toBuffer()])],
  ])("refuses %s with MEDIA_INVALID", async (_name, make) => {
    await expectAppError(processImage(await make(), limits), "MEDIA_INVALID");
  });
});

describe("processImage limits", () => {
  it("refuses more than 10 MB with MEDIA_TOO_LARGE", async () => {
    const png = await solid(16, 16).png().toBuffer();
    const oversized = new Uint8Array(MAX_UPLOAD_BYTES + 1);
    oversized.set(png);
    await expectAppError(processImage(oversized, limits), "MEDIA_TOO_LARGE");
  });

  it("refuses a 20000×20000 PNG of a few kilobytes (a decompression bomb) without decoding it", async () => {
    const bomb = blackSquarePng(20_000);
    expect(bomb.byteLength).toBeLessThan(200 * 1024);
    await expectAppError(processImage(bomb, limits), "MEDIA_TOO_LARGE");
  });

  it("honours a lower pixel limit", async () => {
    const photo = await solid(1200, 1000).jpeg().toBuffer();
    await expectAppError(processImage(photo, { ...limits, maxPixels: 1_000_000 }), "MEDIA_TOO_LARGE");
    await expect(processImage(photo, { ...limits, maxPixels: 1_200_000 })).resolves.toBeDefined();
  });

  it("scales the full size down to 2048 px and the preview to 640 px on the long side, never up", async () => {
    const wide = await processImage(await solid(4000, 3000).jpeg().toBuffer(), limits);
    expect([wide.full.width, wide.full.height]).toEqual([FULL_MAX_SIDE, 1536]);
    const previewSize = await sharp(wide.preview.bytes).metadata();
    expect([previewSize.width, previewSize.height]).toEqual([PREVIEW_MAX_SIDE, 480]);

    const small = await processImage(await solid(300, 500).png().toBuffer(), limits);
    expect([small.full.width, small.full.height]).toEqual([300, 500]);
    const smallPreview = await sharp(small.preview.bytes).metadata();
    expect([smallPreview.width, smallPreview.height]).toEqual([300, 500]);
  });
});
