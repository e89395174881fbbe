// Hostile requests at the byte level, into the real route handlers: what the tRPC endpoint does
// with bodies no client of ours sends (broken JSON, a transformer's envelope, deep nesting, oversized, lying or
// broken-off bodies), and what the upload, backup, attachment and call-webhook routes do with wrong
// types, lying extensions, truncated files, pixel floods, slow or broken bodies and headers no
// client sends.
// Every answer is a typed 4xx within a time bound, never a 500. media-routes.test.ts,
// process-image.test.ts, backup-route.test.ts and attachments-route.test.ts hold the ordinary
// cases and the limits they already prove.
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { deflateSync, crc32 } from "node:zlib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerDevice } from "@/server/api/chat/chat-testing";
import { db } from "@/server/data/db";
import { MAX_ENVELOPE_BYTES, MAX_ENVELOPES_PER_BATCH } from "@/server/data/chat/envelopes";
import { signedUpPerson, type TestPerson } from "@/server/testing/test-browser";
import { uniqueHandle } from "@/server/testing/unique";
import { POST as callWebhook } from "./calls/webhook/route";
import { GET as getAttachment, HEAD as headAttachment, PATCH as patchAttachment } from "./chat/attachments/[id]/route";
import { PUT as putBackup } from "./chat/backup/[kind]/route";
import { POST as upload } from "./media/upload/route";
import { GET as trpcGet, POST as trpcPost } from "./trpc/[trpc]/route";

const ORIGIN = "http://localhost:3000";
const SAME_ORIGIN = { origin: ORIGIN, host: "localhost:3000" };
const TIME_LIMIT_MS = 5_000;
const MiB = 1024 * 1024;

// The call webhook checks signatures against a key pair of this file's own (no LiveKit server is
// needed for that); set before the server first reads its environment.
const LIVEKIT_TEST_KEYS = { LIVEKIT_URL: "ws://127.0.0.1:9", LIVEKIT_API_KEY: "hearth-hostile", LIVEKIT_API_SECRET: "h".repeat(43) };
Object.assign(process.env, LIVEKIT_TEST_KEYS);

let alice: TestPerson;
let dataDir = "";
beforeAll(async () => {
  // The attachment store reads HEARTH_DATA_DIR on first use, which comes after this.
  dataDir = await mkdtemp(path.join(tmpdir(), "hearth-hostile-requests-"));
  process.env.HEARTH_DATA_DIR = dataDir;
  alice = await signedUpPerson();
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function timed(response: Promise<Response>): Promise<Response> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${TIME_LIMIT_MS} ms`)), TIME_LIMIT_MS);
  });
  try {
    return await Promise.race([response, limit]);
  } finally {
    clearTimeout(timer);
  }
}

function init(method: string, body: BodyInit | null, headers: Record<string, string>): RequestInit {
  return { method, body, headers: { ...SAME_ORIGIN, cookie: alice.browser.cookie, ...headers }, duplex: "half" } as RequestInit;
}

/** A body that sends `chunks` of `size` bytes, `delayMs` apart, and counts how many it sent. */
function slowStream(chunks: number, size: number, delayMs: number, first?: Uint8Array) {
  const state = { sent: 0 };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (state.sent === 0 && first) controller.enqueue(first);
      if (state.sent++ >= chunks) return controller.close();
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      controller.enqueue(new Uint8Array(size));
    },
  });
  return { stream, state };
}

/** A body that breaks off after its first bytes, as when the client goes away mid-upload. */
function brokenStream(first: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(first);
      controller.error(new Error("the client went away"));
    },
  });
}

describe("the tRPC endpoint", () => {
  const post = (body: BodyInit | null, headers: Record<string, string> = {}, path = "social.posts.create") =>
    timed(trpcPost(new Request(`${ORIGIN}/api/trpc/${path}`, init("POST", body, { "content-type": "application/json", ...headers }))));

  async function refusal(response: Response): Promise<{ status: number; code: string | undefined }> {
    // tRPC's errors carry its code; the route's own refusals (before tRPC) only an appCode.
    type ErrorBody = { error: { data?: { code?: string; appCode?: string | null } } };
    const answer = (await response.json()) as ErrorBody | ErrorBody[];
    const body = Array.isArray(answer) ? answer[0]! : answer;
    return { status: response.status, code: body.error.data?.code ?? body.error.data?.appCode ?? undefined };
  }

  const deepArray = "[".repeat(100_000) + "]".repeat(100_000);
  const deepObject = '{"a":'.repeat(20_000) + "1" + "}".repeat(20_000);
  const badBodies: [name: string, body: string][] = [
    ["broken JSON", "{"],
    ["not an object", "12"],
    ["a __proto__ key", '{"text":{"__proto__":{"polluted":true}}}'],
    ["a path through constructor.prototype", '{"text":{"constructor":{"prototype":{"polluted":true}}}}'],
    // Hearth sends plain JSON: a transformer's envelope, with type hints to revive, is just a wrong shape.
    ["a superjson envelope", JSON.stringify({ json: { text: "x" }, meta: { values: { text: ["bigint"] }, referentialEqualities: { text: ["__proto__"] } } })],
    ["100,000-deep arrays", `{"text":${deepArray}}`],
    ["20,000-deep objects", `{"text":${deepObject}}`],
  ];

  it.each(badBodies)("answers %s with a 400", async (_name, body) => {
    expect(await refusal(await post(body))).toEqual({ status: 400, code: "BAD_REQUEST" });
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  it("answers unknown procedures, wrong methods and broken query inputs with a 4xx", async () => {
    expect((await refusal(await post("{}", {}, "nope.nope"))).status).toBe(404);
    const get = (query: string) => timed(trpcGet(new Request(`${ORIGIN}/api/trpc/${query}`, { headers: { cookie: alice.browser.cookie } })));
    expect((await refusal(await get(`social.posts.create?input=${encodeURIComponent("{}")}`))).status).toBe(405);
    expect(await refusal(await get(`social.posts.get?input=${"a".repeat(100_000)}`))).toEqual({ status: 400, code: "BAD_REQUEST" });
    expect(await refusal(await get("social.posts.get?batch=1&input=[1,2]"))).toEqual({ status: 400, code: "BAD_REQUEST" });
  });

  it("runs a batch of up to 50 calls and refuses a larger one before running any", async () => {
    const batch = (size: number) =>
      timed(
        trpcGet(new Request(`${ORIGIN}/api/trpc/${Array(size).fill("auth.me").join(",")}?batch=1&input={}`, { headers: { cookie: alice.browser.cookie } })),
      );
    const allowed = await batch(50);
    expect(allowed.status).toBe(200);
    expect((await allowed.json()) as unknown[]).toHaveLength(50);
    expect(await refusal(await batch(51))).toEqual({ status: 400, code: "BAD_REQUEST" });
  });

  it("refuses a body over 8 MiB, declared or streamed, without reading it all", async () => {
    const declared = await post(JSON.stringify({ text: "a" }), { "content-length": String(9 * MiB) });
    expect(await refusal(declared)).toEqual({ status: 413, code: "BODY_TOO_LARGE" });
    const { stream, state } = slowStream(64, MiB / 4, 0, new TextEncoder().encode('{"text":"'));
    expect(await refusal(await post(stream))).toEqual({ status: 413, code: "BODY_TOO_LARGE" });
    expect(state.sent).toBeLessThan(40);
  });

  it("still takes a 1:1 message of the largest size to 50 devices", async () => {
    const payload = Buffer.alloc(MAX_ENVELOPE_BYTES, 7).toString("base64url");
    const envelopes = Array.from({ length: 50 }, () => ({ deviceRowId: crypto.randomUUID(), payload }));
    const response = await post(JSON.stringify({ clientMessageId: crypto.randomUUID(), envelopes }), {}, "chat.envelopes.send");
    // Unknown devices: refused by the data layer, after the body was read and validated.
    expect((await refusal(response)).status).not.toBe(413);
    expect(response.status).toBeLessThan(500);
  });

  it(`stores a group message of ${MAX_ENVELOPES_PER_BATCH} envelopes of the smallest bucket in one call, well within 8 MiB, and refuses one more`, async () => {
    // 1,250 members with 2 devices each, made directly: 2,500 sign-ups would take minutes.
    const prefix = uniqueHandle("g");
    const devices = await db().$queryRaw<{ id: string }[]>`
      WITH members AS (
        INSERT INTO users (id, handle, email, password_hash, display_name)
        SELECT gen_random_uuid(), ${prefix} || '_' || i, ${prefix} || '_' || i || '@example.org', 'x', 'Member'
        FROM generate_series(1, ${MAX_ENVELOPES_PER_BATCH / 2}::int) AS i
        RETURNING id
      )
      INSERT INTO chat_devices (id, user_id, device_id, identity_key)
      SELECT gen_random_uuid(), m.id, n, decode(repeat('06', 33), 'hex') FROM members m CROSS JOIN generate_series(1, 2) AS n
      RETURNING id::text`;
    const payload = Buffer.alloc(34 + 256 + 16, 7).toString("base64url");
    const envelopes = devices.map((d) => ({ deviceRowId: d.id, payload }));
    const body = JSON.stringify({ clientMessageId: crypto.randomUUID(), group: true, envelopes });
    expect(body.length).toBeLessThan(2 * MiB);
    const response = await post(body, {}, "chat.envelopes.send");
    expect(response.status, await response.clone().text()).toBe(200);
    const stored = (await response.json()) as { result: { data: { envelopes: { id: string }[] } } };
    expect(stored.result.data.envelopes).toHaveLength(MAX_ENVELOPES_PER_BATCH);
    expect(await db().chatEnvelope.count({ where: { recipientDeviceId: { in: devices.map((d) => d.id) } } })).toBe(MAX_ENVELOPES_PER_BATCH);

    const oneMore = JSON.stringify({ clientMessageId: crypto.randomUUID(), envelopes: [...envelopes, { deviceRowId: crypto.randomUUID(), payload }] });
    expect(await refusal(await post(oneMore, {}, "chat.envelopes.send"))).toEqual({ status: 400, code: "BAD_REQUEST" });
  });

  it("refuses a body shorter or longer than its Content-Length, or one that breaks off, with a 400", async () => {
    const body = JSON.stringify({ text: "hello" });
    expect(await refusal(await post(body, { "content-length": "5" }))).toEqual({ status: 400, code: "REQUEST_INVALID" });
    expect(await refusal(await post(body, { "content-length": String(body.length + 100) }))).toEqual({ status: 400, code: "REQUEST_INVALID" });
    expect(await refusal(await post(body, { "content-length": "1e3" }))).toEqual({ status: 400, code: "REQUEST_INVALID" });
    expect(await refusal(await post(brokenStream(new TextEncoder().encode('{"text":'))))).toEqual({ status: 400, code: "REQUEST_INVALID" });
  });
});

describe("the upload route", () => {
  const send = (body: BodyInit | null, headers: Record<string, string>) =>
    timed(upload(new Request(`${ORIGIN}/api/media/upload`, init("POST", body, headers))));

  /** The bytes of a multipart form holding `file`, and its Content-Type. */
  async function multipart(file: Blob, name = "file", filename = "photo.jpg"): Promise<{ body: Uint8Array<ArrayBuffer>; contentType: string }> {
    const form = new FormData();
    form.append(name, file, filename);
    const request = new Request(ORIGIN, { method: "POST", body: form });
    return { body: new Uint8Array(await request.arrayBuffer()), contentType: request.headers.get("content-type")! };
  }

  const uploadFile = async (bytes: Uint8Array, type = "image/jpeg", filename = "photo.jpg") => {
    const { body, contentType } = await multipart(new Blob([new Uint8Array(bytes)], { type }), "file", filename);
    return send(body, { "content-type": contentType });
  };

  async function errorOf(response: Response): Promise<{ status: number; code: string }> {
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.message.length).toBeGreaterThan(0);
    return { status: response.status, code: body.error.code };
  }

  function pngChunk(type: string, data: Uint8Array): Buffer {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.byteLength);
    const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  }

  /** A PNG of a few hundred bytes that declares width × height pixels. */
  function floodPng(width: number, height: number): Uint8Array<ArrayBuffer> {
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
    const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    return new Uint8Array(
      Buffer.concat([signature, pngChunk("IHDR", header), pngChunk("IDAT", deflateSync(Buffer.alloc(1024))), pngChunk("IEND", Buffer.alloc(0))]),
    );
  }

  /** A real small image whose header is rewritten to declare `side` × `side` pixels. */
  async function floodJpeg(side: number): Promise<Uint8Array> {
    const jpeg = Buffer.from(
      await sharp({ create: { width: 16, height: 16, channels: 3, background: "#888" } })
        .jpeg()
        .toBuffer(),
    );
    const sof = jpeg.findIndex((byte, i) => byte === 0xff && (jpeg[i + 1] === 0xc0 || jpeg[i + 1] === 0xc2));
    jpeg.writeUInt16BE(side, sof + 5);
    jpeg.writeUInt16BE(side, sof + 7);
    return jpeg;
  }

  /** libvips sizes a GIF by its first frame, so both the screen and the frame declare `side` × `side`. */
  async function floodGif(side: number): Promise<Uint8Array> {
    const gif = Buffer.from(
      await sharp({ create: { width: 16, height: 16, channels: 3, background: "#888" } })
        .gif()
        .toBuffer(),
    );
    gif.writeUInt16LE(side, 6);
    gif.writeUInt16LE(side, 8);
    const packed = gif[10]!;
    let at = 13 + (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0);
    while (gif[at] === 0x21) {
      at += 2;
      while (gif[at]! > 0) at += gif[at]! + 1;
      at += 1;
    }
    expect(gif[at]).toBe(0x2c);
    gif.writeUInt16LE(side, at + 5);
    gif.writeUInt16LE(side, at + 7);
    return gif;
  }

  it.each([
    ["text/plain", "text/plain"],
    ["JSON", "application/json"],
    ["multipart without a boundary", "multipart/form-data"],
    ["another multipart type", "multipart/mixed; boundary=x"],
    ["an empty boundary", "multipart/form-data; boundary="],
    ["a boundary the body does not use", "multipart/form-data; boundary=zzz"],
    ["100 kB of parameters", `multipart/form-data;${"a".repeat(100_000)}`],
  ])("refuses a body sent as %s with 400 MEDIA_INVALID", async (_name, contentType) => {
    const { body } = await multipart(new Blob([floodPng(10, 10)]));
    expect(await errorOf(await send(body, { "content-type": contentType }))).toEqual({ status: 400, code: "MEDIA_INVALID" });
  });

  it("refuses what only looks like an image: a PNG header on garbage, an SVG with a script, HTML named .png", async () => {
    const garbage = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(4096, 0x41)]);
    expect(await errorOf(await uploadFile(garbage, "image/png", "photo.png"))).toEqual({ status: 400, code: "MEDIA_INVALID" });
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
    expect(await errorOf(await uploadFile(svg, "image/svg+xml", "photo.svg"))).toEqual({ status: 400, code: "MEDIA_INVALID" });
    const html = Buffer.from("<!doctype html><img src=x onerror=alert(1)>");
    expect(await errorOf(await uploadFile(html, "image/png", "photo.png"))).toEqual({ status: 400, code: "MEDIA_INVALID" });
  });

  it("refuses a JPEG cut off mid-stream, and a form with two files or thousands of fields", async () => {
    const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: "#48a" } })
      .jpeg()
      .toBuffer();
    expect(await errorOf(await uploadFile(jpeg.subarray(0, Math.floor(jpeg.byteLength / 2))))).toEqual({ status: 400, code: "MEDIA_INVALID" });

    const two = new FormData();
    two.append("file", new Blob([jpeg]), "a.jpg");
    two.append("file", new Blob([jpeg]), "b.jpg");
    const twoRequest = new Request(ORIGIN, { method: "POST", body: two });
    const twoBody = new Uint8Array(await twoRequest.arrayBuffer());
    expect(await errorOf(await send(twoBody, { "content-type": twoRequest.headers.get("content-type")! }))).toEqual({ status: 400, code: "MEDIA_INVALID" });

    const fields = Array.from({ length: 50_000 }, (_, i) => `--b\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nx\r\n`).join("") + "--b--\r\n";
    expect(await errorOf(await send(fields, { "content-type": "multipart/form-data; boundary=b" }))).toEqual({ status: 400, code: "MEDIA_INVALID" });
  });

  it("goes by the bytes, never the name or type claimed: a PNG named .jpg and a JPEG sent as text/html named .html are stored as images", async () => {
    const png = await sharp({ create: { width: 32, height: 24, channels: 4, background: "#0a0" } })
      .png()
      .toBuffer();
    const jpeg = await sharp({ create: { width: 24, height: 32, channels: 3, background: "#a00" } })
      .jpeg()
      .toBuffer();
    for (const [bytes, type, filename, width] of [
      [png, "image/jpeg", "photo.jpg", 32],
      [jpeg, "text/html", "page.html", 24],
    ] as const) {
      const response = await uploadFile(bytes, type, filename);
      expect(response.status).toBe(201);
      const { id } = (await response.json()) as { id: string };
      // Served as what it was re-encoded to, whatever was claimed.
      expect(await db().media.findUniqueOrThrow({ where: { id }, select: { mimeType: true, width: true } })).toEqual({ mimeType: "image/webp", width });
    }
  });

  it("decodes a 20 MP PNG of a few kB (a decompression bomb under the pixel limit) within the processing bound, and keeps only a scaled copy", async () => {
    const [width, height] = [5_000, 4_000];
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
    // Every row: filter byte 0, then black pixels; 20 MB of pixels deflate to about 20 kB.
    const idat = deflateSync(Buffer.alloc((width + 1) * height), { level: 9 });
    const bomb = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk("IHDR", header),
      pngChunk("IDAT", idat),
      pngChunk("IEND", Buffer.alloc(0)),
    ]);
    expect(bomb.byteLength).toBeLessThan(64 * 1024);
    const { body, contentType } = await multipart(new Blob([bomb], { type: "image/png" }), "file", "bomb.png");
    const started = Date.now();
    const response = await upload(new Request(`${ORIGIN}/api/media/upload`, init("POST", body, { "content-type": contentType })));
    // The route's own bound on decoding (process-image.ts) is 20 s.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect(await db().media.findUniqueOrThrow({ where: { id }, select: { width: true, height: true } })).toEqual({ width: 2048, height: 1638 });
  }, 30_000);

  it.each([
    ["a 50000×50000 PNG", 413, "MEDIA_TOO_LARGE", () => Promise.resolve(floodPng(50_000, 50_000))],
    ["a 65500×65500 JPEG", 413, "MEDIA_TOO_LARGE", () => floodJpeg(65_500)],
    ["a 65535×65535 GIF", 413, "MEDIA_TOO_LARGE", () => floodGif(65_535)],
    // libpng itself refuses rows over a million pixels, before any decoding.
    ["a (2³¹ − 1)×1 PNG", 400, "MEDIA_INVALID", () => Promise.resolve(floodPng(2 ** 31 - 1, 1))],
  ])("refuses %s of a few hundred bytes (a pixel flood) with %i %s, without decoding it", async (_name, status, code, make) => {
    expect(await errorOf(await uploadFile(await make()))).toEqual({ status, code });
  });

  it("refuses a body that lies about its length or breaks off, with 400 REQUEST_INVALID", async () => {
    const { body, contentType } = await multipart(new Blob([floodPng(10, 10)]));
    expect(await errorOf(await send(body, { "content-type": contentType, "content-length": "10" }))).toEqual({ status: 400, code: "REQUEST_INVALID" });
    expect(await errorOf(await send(body, { "content-type": contentType, "content-length": "-1" }))).toEqual({ status: 400, code: "REQUEST_INVALID" });
    const broken = brokenStream(body.subarray(0, 100));
    expect(await errorOf(await send(broken, { "content-type": contentType }))).toEqual({ status: 400, code: "REQUEST_INVALID" });
  });

  it("stops a slow body as soon as it passes the limit, with 413", async () => {
    const { stream, state } = slowStream(
      60,
      MiB / 2,
      5,
      new TextEncoder().encode('--b\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n'),
    );
    expect(await errorOf(await send(stream, { "content-type": "multipart/form-data; boundary=b" }))).toEqual({ status: 413, code: "MEDIA_TOO_LARGE" });
    expect(state.sent).toBeLessThan(25);
  });
});

describe("the backup route", () => {
  const put = (body: BodyInit | null, headers: Record<string, string> = {}) =>
    timed(
      putBackup(new Request(`${ORIGIN}/api/chat/backup/passphrase`, init("PUT", body, { "x-backup-version": "1", ...headers })), {
        params: Promise.resolve({ kind: "passphrase" }),
      }),
    );

  it("refuses a body longer than its Content-Length, or one that breaks off, with 400 REQUEST_INVALID", async () => {
    const code = async (response: Response) => ({ status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code });
    expect(await code(await put(new Uint8Array(100), { "content-length": "5" }))).toEqual({ status: 400, code: "REQUEST_INVALID" });
    expect(await code(await put(brokenStream(new Uint8Array(100))))).toEqual({ status: 400, code: "REQUEST_INVALID" });
  });
});

describe("the attachment route", () => {
  const url = (id: string, query = "") => `${ORIGIN}/api/chat/attachments/${id}${query}`;
  const params = (id: string) => ({ params: Promise.resolve({ id }) });
  const code = async (response: Response) => ({ status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code });
  let upload = "";
  let device = "";

  beforeAll(async () => {
    device = (await registerDevice(alice)).rowId;
    upload = (await alice.call((api) => api.chat.attachments.create({ size: 1_000, recipientDeviceRowIds: [device] }))).id;
  });

  const patch = (body: BodyInit | null, headers: Record<string, string> = {}, id = upload) =>
    timed(
      patchAttachment(new Request(url(id), init("PATCH", body, { "upload-offset": "0", "content-type": "application/octet-stream", ...headers })), params(id)),
    );
  const offset = async () =>
    (await headAttachment(new Request(url(upload), { method: "HEAD", headers: { cookie: alice.browser.cookie } }), params(upload))).headers.get(
      "upload-offset",
    );

  it("refuses parts that lie about their length, break off, or grow past 8 MiB slowly, and counts none of them", async () => {
    expect(await code(await patch(new Uint8Array(100), { "content-length": "5" }))).toEqual({ status: 400, code: "REQUEST_INVALID" });
    expect(await code(await patch(new Uint8Array(100), { "content-length": "-1" }))).toEqual({ status: 400, code: "REQUEST_INVALID" });
    expect(await code(await patch(brokenStream(new Uint8Array(100))))).toEqual({ status: 400, code: "REQUEST_INVALID" });
    const { stream, state } = slowStream(40, MiB / 2, 5);
    expect(await code(await patch(stream))).toEqual({ status: 413, code: "BODY_TOO_LARGE" });
    expect(state.sent).toBeLessThan(25);
    expect(await offset()).toBe("0");
  });

  it.each([
    ["no Upload-Offset", { "upload-offset": "" }],
    ["a negative offset", { "upload-offset": "-0" }],
    ["a hexadecimal offset", { "upload-offset": "0x0" }],
    ["two offsets", { "upload-offset": "0, 0" }],
    ["an offset past 2^53", { "upload-offset": "9007199254740993" }],
    ["100 kB of offset", { "upload-offset": "1".repeat(100_000) }],
    ["no content type", { "content-type": "" }],
    ["a form's content type", { "content-type": "application/x-www-form-urlencoded" }],
  ])("refuses a part with %s with a 4xx", async (_name, headers) => {
    const response = await patch(new Uint8Array(10), headers);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await offset()).toBe("0");
  });

  it("answers ids, devices and ranges no client sends with a 4xx, or ignores the range", async () => {
    for (const id of ["..", "%2e%2e", "00000000-0000-0000-0000-000000000000", "x".repeat(10_000), "' OR 1=1 --"]) {
      const head = await timed(headAttachment(new Request(url("x"), { method: "HEAD", headers: { cookie: alice.browser.cookie } }), params(id)));
      expect(head.status, id).toBe(404);
      expect((await patch(new Uint8Array(1), {}, id)).status, id).toBe(404);
    }
    const get = (query: string, headers: Record<string, string> = {}) =>
      timed(getAttachment(new Request(url(upload, query), { headers: { cookie: alice.browser.cookie, ...headers } }), params(upload)));
    for (const query of ["", "?device=", "?device=x", `?device=${device}x&device=${device}`, `?device=${"a".repeat(100_000)}`]) {
      expect((await get(query)).status, query).toBe(400);
    }
    // Not complete yet: nothing to serve, whatever the range.
    for (const range of ["bytes=0-", "bytes=99999999999999999999-", "bytes=-1", "bytes=" + "9".repeat(100_000) + "-", "bytes=0-0,1-1,2-2"]) {
      expect((await get(`?device=${device}`, { range })).status, range.slice(0, 40)).toBe(404);
    }
    const patched = await patch(new Uint8Array(1_000));
    expect(patched.status).toBe(204);
    for (const range of ["bytes=99999999999999999999-", "bytes=-1", "bytes=" + "9".repeat(100_000) + "-", "bytes=0-0,1-1,2-2", "bytes=1000-"]) {
      const response = await get(`?device=${device}`, { range });
      expect([200, 416], range.slice(0, 40)).toContain(response.status);
      await response.arrayBuffer();
    }
  });
});

describe("the call webhook", () => {
  const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
    timed(callWebhook(new Request(`${ORIGIN}/api/calls/webhook`, { method: "POST", body, headers, duplex: "half" } as RequestInit)));
  const code = async (response: Response) => ({ status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code });
  const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const event = JSON.stringify({ event: "room_finished", room: { name: "0".repeat(32) } });
  const sha256 = createHash("sha256").update(event).digest("base64");

  it("refuses a body over 64 KiB, declared or streamed, without reading it all, and bodies that lie or break off", async () => {
    expect(await code(await post(event, { "content-length": String(10 * MiB) }))).toEqual({ status: 413, code: "BODY_TOO_LARGE" });
    const { stream, state } = slowStream(40, 16 * 1024, 0);
    expect(await code(await post(stream))).toEqual({ status: 413, code: "BODY_TOO_LARGE" });
    expect(state.sent).toBeLessThan(10);
    expect(await code(await post(event, { "content-length": "5" }))).toEqual({ status: 400, code: "REQUEST_INVALID" });
    expect(await code(await post(brokenStream(new TextEncoder().encode('{"event":'))))).toEqual({ status: 400, code: "REQUEST_INVALID" });
  });

  it.each([
    ["no Authorization header", {}],
    ["an empty one", { authorization: "" }],
    ["a bearer of garbage", { authorization: "Bearer x" }],
    ["100 kB of token", { authorization: "a".repeat(100_000) }],
    [
      "an unsigned token (alg none) with the body's hash",
      { authorization: `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ iss: "hearth-hostile", sha256, exp: 9_999_999_999 })}.` },
    ],
    [
      "a token whose signature is the header's",
      { authorization: `${b64url({ alg: "HS256" })}.${b64url({ iss: "hearth-hostile", sha256, exp: 9_999_999_999 })}.${b64url({ alg: "HS256" })}` },
    ],
  ])("refuses a webhook with %s with 401", async (_name, headers) => {
    expect(await code(await post(event, headers))).toEqual({ status: 401, code: "UNAUTHENTICATED" });
  });
});
