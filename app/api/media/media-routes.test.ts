// The media routes as a browser meets them: real requests into the route handlers, the real test
// database and real files in a temporary data folder.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enforceRateLimit, rateLimitRules } from "@/server/auth/rate-limits";
import { sessionCookieName } from "@/server/auth/session-cookie";
import { startSession } from "@/server/auth/sessions";
import { visitor } from "@/server/data/actor";
import { createUser } from "@/server/data/auth/users";
import { db } from "@/server/data/db";
import { MAX_UPLOAD_BYTES } from "@/server/media/process-image";
import { uniqueEmail, uniqueHandle } from "@/server/testing/unique";
import { GET as getFull } from "./[id]/route";
import { GET as getPreview } from "./[id]/preview/route";
import { POST as upload } from "./upload/route";

const ORIGIN = "http://localhost:3000";
let dataDir = "";

beforeAll(async () => {
  // mediaStorage() reads HEARTH_DATA_DIR on first use, which comes after this.
  dataDir = await mkdtemp(path.join(tmpdir(), "hearth-media-test-"));
  process.env.HEARTH_DATA_DIR = dataDir;
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function signedIn(options: { isProtected?: boolean } = {}): Promise<{ userId: string; cookie: string }> {
  const { id } = await createUser({
    actor: visitor,
    purpose: "core.account",
    handle: uniqueHandle(),
    email: uniqueEmail(),
    passwordHash: "not-a-real-hash",
    locale: null,
  });
  const isProtected = options.isProtected ?? false;
  await db().profile.upsert({ where: { userId: id }, create: { userId: id, isProtected }, update: { isProtected } });
  const { token } = await startSession({ userId: id, userAgent: null });
  return { userId: id, cookie: `${sessionCookieName()}=${token}` };
}

function uploadRequest(file: File | null, headers: Record<string, string> = {}): Request {
  const form = new FormData();
  if (file) form.append("file", file);
  return new Request(`${ORIGIN}/api/media/upload`, {
    method: "POST",
    body: form,
    headers: { origin: ORIGIN, host: "localhost:3000", ...headers },
  });
}

async function gpsTaggedJpeg(): Promise<Uint8Array<ArrayBuffer>> {
  const jpeg = await sharp({ create: { width: 900, height: 600, channels: 3, background: "#48a" } })
    .withExif({
      IFD0: { Make: "Canon", Model: "Canon EOS R5" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 2964/100", GPSLongitudeRef: "E", GPSLongitude: "2/1 17/1 4008/100" },
    })
    .jpeg()
    .toBuffer();
  return new Uint8Array(jpeg);
}

function fetchMedia(mediaId: string, cookie: string | null, variant: "full" | "preview" = "full"): Promise<Response> {
  const request = new Request(`${ORIGIN}/api/media/${mediaId}${variant === "preview" ? "/preview" : ""}`, {
    headers: cookie ? { cookie } : {},
  });
  const context = { params: Promise.resolve({ id: mediaId }) };
  return variant === "full" ? getFull(request, context) : getPreview(request, context);
}

async function uploaded(cookie: string, bytes?: Uint8Array<ArrayBuffer>): Promise<{ id: string; width: number; height: number; previewUrl: string }> {
  const response = await upload(uploadRequest(new File([bytes ?? (await gpsTaggedJpeg())], "photo.jpg", { type: "image/jpeg" }), { cookie }));
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; width: number; height: number; previewUrl: string };
}

async function storedFiles(): Promise<string[]> {
  const root = path.join(dataDir, "media");
  const dirs = await readdir(root).catch(() => []);
  const files = await Promise.all(dirs.map(async (dir) => (await readdir(path.join(root, dir))).map((f) => path.join(root, dir, f))));
  return files.flat();
}

async function errorOf(response: Response): Promise<{ status: number; code: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.message.length).toBeGreaterThan(0);
  return { status: response.status, code: body.error.code };
}

describe("POST /api/media/upload", () => {
  it("stores the image re-encoded without GPS or camera details and answers with its id and preview", async () => {
    const { userId, cookie } = await signedIn();
    const result = await uploaded(cookie);
    expect(result).toMatchObject({ width: 900, height: 600, previewUrl: `/api/media/${result.id}/preview` });

    const row = await db().media.findUniqueOrThrow({ where: { id: result.id } });
    expect(row).toMatchObject({ ownerId: userId, postId: null, mimeType: "image/webp", width: 900, height: 600 });
    expect(row.storageKey).toMatch(/^[0-9a-f]{32}$/);
    const files = (await storedFiles()).filter((f) => path.basename(f).startsWith(row.storageKey));
    expect(files.map((f) => path.basename(f)).sort()).toEqual([row.storageKey, `${row.storageKey}.preview.webp`]);
    for (const file of files) {
      const bytes = await readFile(file);
      expect(bytes.includes("Canon")).toBe(false);
      const metadata = await sharp(bytes).metadata();
      expect(metadata).not.toHaveProperty("exif");
    }
    expect(row.bytes).toBe((await readFile(files.find((f) => !f.endsWith(".webp")) ?? "")).byteLength);
  });

  it("reads the type from the content: a PNG sent as photo.jpg is accepted, text sent as one is refused", async () => {
    const { cookie } = await signedIn();
    const png = new Uint8Array(
      await sharp({ create: { width: 20, height: 10, channels: 4, background: "#0000" } })
        .png()
        .toBuffer(),
    );
    expect(await uploaded(cookie, png)).toMatchObject({ width: 20, height: 10 });

    const before = (await storedFiles()).length;
    const text = new File(["not an image at all"], "photo.jpg", { type: "image/jpeg" });
    expect(await errorOf(await upload(uploadRequest(text, { cookie })))).toEqual({ status: 400, code: "MEDIA_INVALID" });
    expect((await storedFiles()).length).toBe(before);
  });

  it("refuses signed-out and cross-origin requests", async () => {
    const file = new File([await gpsTaggedJpeg()], "photo.jpg", { type: "image/jpeg" });
    expect(await errorOf(await upload(uploadRequest(file)))).toEqual({ status: 401, code: "UNAUTHENTICATED" });
    const { cookie } = await signedIn();
    const crossSite = uploadRequest(file, { cookie, origin: "https://evil.example" });
    expect(await errorOf(await upload(crossSite))).toEqual({ status: 403, code: "FORBIDDEN_ORIGIN" });
  });

  it("refuses a request without exactly one file with 400", async () => {
    const { cookie } = await signedIn();
    expect(await errorOf(await upload(uploadRequest(null, { cookie })))).toEqual({ status: 400, code: "MEDIA_INVALID" });
  });

  it("refuses a body over 10 MB with 413, whether or not it declares its length", async () => {
    const { cookie } = await signedIn();
    const declared = uploadRequest(new File([new Uint8Array(10)], "a.jpg"), { cookie, "content-length": String(MAX_UPLOAD_BYTES * 2) });
    expect(await errorOf(await upload(declared))).toEqual({ status: 413, code: "MEDIA_TOO_LARGE" });

    // Streamed without Content-Length: counted while reading, and cut off.
    const boundary = "hearthboundary";
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n`));
        if (sent++ < 12) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = new Request(`${ORIGIN}/api/media/upload`, {
      method: "POST",
      body,
      duplex: "half",
      headers: { origin: ORIGIN, host: "localhost:3000", cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
    } as RequestInit);
    expect(await errorOf(await upload(streamed))).toEqual({ status: 413, code: "MEDIA_TOO_LARGE" });
    expect(sent).toBeLessThan(13);
  });

  it("limits uploads per account, with the time to wait", async () => {
    const { userId, cookie } = await signedIn();
    for (let i = 0; i < rateLimitRules.mediaUploadsPerAccount.max; i++) await enforceRateLimit(rateLimitRules.mediaUploadsPerAccount, userId);
    const response = await upload(uploadRequest(new File([await gpsTaggedJpeg()], "photo.jpg"), { cookie }));
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await errorOf(response)).toEqual({ status: 429, code: "RATE_LIMITED" });
  });
});

describe("GET /api/media/{id} and /preview", () => {
  it("serves the owner's fresh upload as an uncacheable, non-sniffable inline WebP", async () => {
    const { cookie } = await signedIn();
    const { id } = await uploaded(cookie);
    for (const variant of ["full", "preview"] as const) {
      const response = await fetchMedia(id, cookie, variant);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/webp");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-disposition")).toBe("inline");
      expect(response.headers.get("cache-control")).toBe("private, no-store");
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(Number(response.headers.get("content-length"))).toBe(bytes.byteLength);
      const metadata = await sharp(bytes).metadata();
      expect(Math.max(metadata.width, metadata.height)).toBe(variant === "full" ? 900 : 640);
    }
  });

  it("answers 404, the same as for a missing image, to everyone else and to malformed ids", async () => {
    const owner = await signedIn();
    const { id } = await uploaded(owner.cookie);
    const stranger = await signedIn();
    const missing = await fetchMedia(crypto.randomUUID(), stranger.cookie);
    const hidden = await fetchMedia(id, stranger.cookie);
    expect(hidden.status).toBe(404);
    expect(await hidden.json()).toEqual(await missing.json());
    expect((await fetchMedia(id, null)).status).toBe(404);
    expect((await fetchMedia(id, `${sessionCookieName()}=forged`)).status).toBe(404);
    expect((await fetchMedia("../../etc/passwd", owner.cookie)).status).toBe(404);
  });

  it("lets a public author's post image be cached for good, but not a protected author's", async () => {
    const publicAuthor = await signedIn();
    const protectedAuthor = await signedIn({ isProtected: true });
    const follower = await signedIn();
    await db().follow.create({ data: { followerId: follower.userId, followeeId: protectedAuthor.userId } });
    const expectations = [
      [publicAuthor, "private, max-age=31536000, immutable"],
      [protectedAuthor, "private, no-store"],
    ] as const;
    for (const [author, cacheControl] of expectations) {
      const { id } = await uploaded(author.cookie);
      const postId = crypto.randomUUID();
      await db().post.create({ data: { id: postId, authorId: author.userId, text: "photo", rootId: postId } });
      await db().media.update({ where: { id }, data: { postId } });
      const response = await fetchMedia(id, follower.cookie);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe(cacheControl);
    }
  });
});
