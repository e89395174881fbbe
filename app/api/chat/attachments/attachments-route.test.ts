// The attachment route as a browser meets it: real requests into the route handlers, on the real
// test database and real files in a temporary data folder; the upload begins, and ends for each
// device, over tRPC (chat.attachments.create, .fetched, .quota).
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerDevice, expectError } from "@/server/api/chat/chat-testing";
import { enforceRateLimit, rateLimitRules } from "@/server/auth/rate-limits";
import { ATTACHMENT_QUOTA_BYTES, MAX_ATTACHMENT_CIPHERTEXT_BYTES, MAX_ATTACHMENT_PART_BYTES, MAX_ATTACHMENT_RECIPIENTS } from "@/server/data/chat/attachments";
import { signedUpPerson, type TestPerson } from "@/server/testing/test-browser";
import { GET, HEAD, PATCH } from "./[id]/route";

const ORIGIN = "http://localhost:3000";
const SAME_ORIGIN = { origin: ORIGIN, host: "localhost:3000" };
const FOREIGN = { origin: "https://evil.example", host: "localhost:3000" };
const MiB = 1024 * 1024;

let dataDir = "";
beforeAll(async () => {
  // attachmentStorage() reads HEARTH_DATA_DIR on first use, which comes after this.
  dataDir = await mkdtemp(path.join(tmpdir(), "hearth-attachment-route-test-"));
  process.env.HEARTH_DATA_DIR = dataDir;
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

interface Call {
  who?: TestPerson;
  headers?: Record<string, string>;
  body?: BodyInit;
  query?: string;
}

function call(method: "HEAD" | "PATCH" | "GET", id: string, options: Call = {}): Promise<Response> {
  const headers = {
    ...(method === "PATCH" ? SAME_ORIGIN : {}),
    ...(options.who?.browser.cookie ? { cookie: options.who.browser.cookie } : {}),
    ...options.headers,
  };
  const init: RequestInit & { duplex?: "half" } = { method, headers, body: options.body };
  if (options.body instanceof ReadableStream) init.duplex = "half";
  const handler = { HEAD, PATCH, GET }[method];
  return handler(new Request(`${ORIGIN}/api/chat/attachments/${id}${options.query ?? ""}`, init), { params: Promise.resolve({ id }) });
}

const head = (who: TestPerson, id: string) => call("HEAD", id, { who });
const patch = (who: TestPerson, id: string, offset: number | string, part: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
  call("PATCH", id, { who, body: part, headers: { "upload-offset": String(offset), "content-type": "application/octet-stream", ...headers } });
const get = (who: TestPerson, id: string, device: string, headers: Record<string, string> = {}) =>
  call("GET", id, { who, query: `?device=${device}`, headers });

async function errorOf(response: Response): Promise<{ status: number; code: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(response.headers.get("cache-control")).toBe("no-store");
  return { status: response.status, code: body.error.code };
}

const blobOf = (n: number) => new Uint8Array(n).map((_, i) => (i * 31 + 7) & 0xff);

/** A body that sends its first bytes and then breaks off, as when the client goes away mid-part. */
function brokenStream(first: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(first);
      controller.error(new Error("the client went away"));
    },
  });
}

/** A body of `chunks` pieces of `size` bytes without a Content-Length, counting what it sent. */
function countedStream(chunks: number, size: number) {
  const state = { sent: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.sent++ >= chunks) controller.close();
      else controller.enqueue(new Uint8Array(size));
    },
  });
  return { stream, state };
}

/** Alice, with a second device, sends to Bob's device. */
async function aliceToBob() {
  const [alice, bob] = await Promise.all([signedUpPerson(), signedUpPerson()]);
  const [alicesLaptop, bobsPhone] = await Promise.all([registerDevice(alice), registerDevice(bob)]);
  const create = (size: number, recipients = [bobsPhone.rowId, alicesLaptop.rowId]) =>
    alice.call((api) => api.chat.attachments.create({ size, recipientDeviceRowIds: recipients }));
  return { alice, bob, alicesLaptop: alicesLaptop.rowId, bobsPhone: bobsPhone.rowId, create };
}

describe("the attachment route", () => {
  it("takes parts with PATCH from the offset HEAD reports, and serves the blob with GET, whole or from a byte", async () => {
    const { alice, bob, bobsPhone, alicesLaptop, create } = await aliceToBob();
    const blob = blobOf(50_000);
    const { id, maxPartBytes } = await create(blob.byteLength);
    expect(maxPartBytes).toBe(8 * MiB);
    expect(await alice.call((api) => api.chat.attachments.quota())).toEqual({ usedBytes: 50_000, limitBytes: ATTACHMENT_QUOTA_BYTES });

    const before = await head(alice, id);
    expect(before.status).toBe(204);
    expect([before.headers.get("upload-offset"), before.headers.get("upload-length"), before.headers.get("cache-control")]).toEqual(["0", "50000", "no-store"]);

    const first = await patch(alice, id, 0, blob.slice(0, 20_000));
    expect(first.status).toBe(204);
    expect(first.headers.get("upload-offset")).toBe("20000");
    expect((await head(alice, id)).headers.get("upload-offset")).toBe("20000");
    // Not served before the last byte.
    expect(await errorOf(await get(bob, id, bobsPhone))).toEqual({ status: 404, code: "NOT_FOUND" });
    const last = await patch(alice, id, 20_000, blob.slice(20_000));
    expect(last.headers.get("upload-offset")).toBe("50000");

    const whole = await get(bob, id, bobsPhone);
    expect(whole.status).toBe(200);
    expect(
      Object.fromEntries(["content-type", "content-length", "cache-control", "x-content-type-options", "content-range"].map((h) => [h, whole.headers.get(h)])),
    ).toEqual({
      "content-type": "application/octet-stream",
      "content-length": "50000",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "content-range": null,
    });
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(blob);

    const rest = await get(alice, id, alicesLaptop, { range: "bytes=49000-" });
    expect(rest.status).toBe(206);
    expect([rest.headers.get("content-range"), rest.headers.get("content-length")]).toEqual(["bytes 49000-49999/50000", "1000"]);
    expect(new Uint8Array(await rest.arrayBuffer())).toEqual(blob.slice(49_000));

    const pastTheEnd = await get(bob, id, bobsPhone, { range: "bytes=50000-" });
    expect(pastTheEnd.headers.get("content-range")).toBe("bytes */50000");
    expect(await errorOf(pastTheEnd)).toEqual({ status: 416, code: "REQUEST_INVALID" });
    // Forms a client of ours never sends are ignored: the whole blob.
    for (const range of ["bytes=0-99", "bytes=-100", "bytes=1-2,5-", "items=3-", "bytes=abc-"]) {
      const answer = await get(bob, id, bobsPhone, { range });
      expect(answer.status, range).toBe(200);
      expect((await answer.arrayBuffer()).byteLength).toBe(50_000);
    }

    // Once both devices have it, it is gone, and the quota is free again.
    await bob.call((api) => api.chat.attachments.fetched({ id, deviceRowId: bobsPhone }));
    expect((await get(alice, id, alicesLaptop)).status).toBe(200);
    await alice.call((api) => api.chat.attachments.fetched({ id, deviceRowId: alicesLaptop }));
    expect(await errorOf(await get(alice, id, alicesLaptop))).toEqual({ status: 404, code: "NOT_FOUND" });
    expect(await alice.call((api) => api.chat.attachments.quota())).toEqual({ usedBytes: 0, limitBytes: ATTACHMENT_QUOTA_BYTES });
    await expectError(
      alice.call((api) => api.chat.attachments.fetched({ id, deviceRowId: alicesLaptop })),
      "NOT_FOUND",
      "NOT_FOUND",
    );
  });

  it("answers 409 with the current offset to a part that does not start there, and counts nothing of a part cut off", async () => {
    const { alice, create } = await aliceToBob();
    const { id } = await create(1_000);
    expect((await patch(alice, id, 0, blobOf(300))).status).toBe(204);

    for (const offset of [0, 299, 301, 1_000]) {
      const conflict = await patch(alice, id, offset, blobOf(10));
      expect(conflict.headers.get("upload-offset"), String(offset)).toBe("300");
      expect(await errorOf(conflict)).toEqual({ status: 409, code: "UPLOAD_OFFSET_MISMATCH" });
    }
    // Broken off, or shorter or longer than declared: refused before anything is stored.
    expect(
      await errorOf(
        await call("PATCH", id, {
          who: alice,
          body: brokenStream(blobOf(200)),
          headers: { "upload-offset": "300", "content-type": "application/octet-stream" },
        }),
      ),
    ).toEqual({ status: 400, code: "REQUEST_INVALID" });
    expect(await errorOf(await patch(alice, id, 300, blobOf(200), { "content-length": "100" }))).toEqual({ status: 400, code: "REQUEST_INVALID" });
    expect(await errorOf(await patch(alice, id, 300, blobOf(200), { "content-length": "300" }))).toEqual({ status: 400, code: "REQUEST_INVALID" });
    expect((await head(alice, id)).headers.get("upload-offset")).toBe("300");

    // Past the declared size, past the part limit (declared or streamed), empty.
    expect(await errorOf(await patch(alice, id, 300, blobOf(701)))).toEqual({ status: 413, code: "BODY_TOO_LARGE" });
    expect(await errorOf(await patch(alice, id, 300, blobOf(10), { "content-length": String(MAX_ATTACHMENT_PART_BYTES + 1) }))).toEqual({
      status: 413,
      code: "BODY_TOO_LARGE",
    });
    const { stream, state } = countedStream(64, MiB / 4);
    const streamed = call("PATCH", id, { who: alice, body: stream, headers: { "upload-offset": "300", "content-type": "application/octet-stream" } });
    expect(await errorOf(await streamed)).toEqual({ status: 413, code: "BODY_TOO_LARGE" });
    expect(state.sent).toBeLessThan(40);
    expect(await errorOf(await patch(alice, id, 300, new Uint8Array(0)))).toEqual({ status: 400, code: "REQUEST_INVALID" });
    expect((await head(alice, id)).headers.get("upload-offset")).toBe("300");

    // The headers a part needs.
    for (const offset of ["", "-1", "+300", "0300", "300.0", "3e2", "99999999999999999999"]) {
      expect(await errorOf(await patch(alice, id, offset, blobOf(10))), offset).toEqual({ status: 400, code: "REQUEST_INVALID" });
    }
    for (const type of ["text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"]) {
      expect(await errorOf(await patch(alice, id, 300, blobOf(10), { "content-type": type })), type).toEqual({ status: 400, code: "REQUEST_INVALID" });
    }
    expect((await patch(alice, id, 300, blobOf(700), { "content-type": "application/octet-stream; charset=binary" })).status).toBe(204);
    expect((await head(alice, id)).headers.get("upload-offset")).toBe("1000");
  });

  it("needs a session, this origin for PATCH, and serves the uploader or a recipient device only", async () => {
    const { alice, bob, bobsPhone, create } = await aliceToBob();
    const { id } = await create(10);
    const anonymous = undefined;
    expect(await errorOf(await call("HEAD", id, { who: anonymous }))).toEqual({ status: 401, code: "UNAUTHENTICATED" });
    expect(await errorOf(await call("PATCH", id, { body: blobOf(10), headers: { "upload-offset": "0", "content-type": "application/octet-stream" } }))).toEqual(
      {
        status: 401,
        code: "UNAUTHENTICATED",
      },
    );
    expect(await errorOf(await call("GET", id, { query: `?device=${bobsPhone}` }))).toEqual({ status: 401, code: "UNAUTHENTICATED" });
    expect(await errorOf(await patch(alice, id, 0, blobOf(10), FOREIGN))).toEqual({ status: 403, code: "FORBIDDEN_ORIGIN" });
    expect(await errorOf(await patch(alice, id, 0, blobOf(10), { origin: "null" }))).toEqual({ status: 403, code: "FORBIDDEN_ORIGIN" });
    expect((await head(alice, id)).headers.get("upload-offset")).toBe("0");

    // A recipient is not the uploader: the upload is not theirs to see or extend.
    expect((await head(bob, id)).status).toBe(404);
    expect(await errorOf(await patch(bob, id, 0, blobOf(10)))).toEqual({ status: 404, code: "NOT_FOUND" });
    expect((await patch(alice, id, 0, blobOf(10))).status).toBe(204);

    // Someone else, with their own device or naming the recipient's.
    const mallory = await signedUpPerson();
    const mallorysDevice = (await registerDevice(mallory)).rowId;
    expect(await errorOf(await get(mallory, id, mallorysDevice))).toEqual({ status: 404, code: "NOT_FOUND" });
    expect(await errorOf(await get(mallory, id, bobsPhone))).toEqual({ status: 404, code: "NOT_FOUND" });
    await expectError(
      mallory.call((api) => api.chat.attachments.fetched({ id, deviceRowId: bobsPhone })),
      "NOT_FOUND",
      "NOT_FOUND",
    );
    expect((await get(bob, id, bobsPhone)).status).toBe(200);

    // Ids and devices that are not ids.
    expect(await errorOf(await head(alice, "not-an-id"))).toEqual({ status: 404, code: "NOT_FOUND" });
    expect(await errorOf(await head(alice, randomUUID()))).toEqual({ status: 404, code: "NOT_FOUND" });
    expect(await errorOf(await get(bob, id, "phone"))).toEqual({ status: 400, code: "REQUEST_INVALID" });
    expect(await errorOf(await call("GET", id, { who: bob }))).toEqual({ status: 400, code: "REQUEST_INVALID" });
  });
});

describe("chat.attachments.create", () => {
  it("checks the size and the recipients, and says when the quota is used up", async () => {
    const { alice, bobsPhone, create } = await aliceToBob();
    await expectError(create(MAX_ATTACHMENT_CIPHERTEXT_BYTES + 1), "BAD_REQUEST", "attachment_too_large");
    await expectError(create(0), "BAD_REQUEST");
    await expectError(create(10, []), "BAD_REQUEST", "device_ids_empty");
    await expectError(create(10, [bobsPhone, bobsPhone]), "BAD_REQUEST", "devices_not_unique");
    await expectError(
      create(
        10,
        Array.from({ length: MAX_ATTACHMENT_RECIPIENTS + 1 }, () => randomUUID()),
      ),
      "BAD_REQUEST",
      "too_many_devices",
    );
    await expectError(create(10, [bobsPhone, randomUUID()]), "NOT_FOUND", "NOT_FOUND");

    for (let i = 0; i < 9; i++) await create(MAX_ATTACHMENT_CIPHERTEXT_BYTES);
    const refused = await create(MAX_ATTACHMENT_CIPHERTEXT_BYTES).catch((e: unknown) => e);
    await expectError(Promise.reject(refused), "FORBIDDEN", "QUOTA_EXCEEDED");
    expect((refused as Error).message).toMatch(/954\.0 MiB of your 1024\.0 MiB/);
    expect((await alice.call((api) => api.chat.attachments.quota())).usedBytes).toBe(9 * MAX_ATTACHMENT_CIPHERTEXT_BYTES);
  });

  it("limits how many uploads an account begins in an hour", async () => {
    const { alice, create } = await aliceToBob();
    const { max } = rateLimitRules.attachmentsPerAccount;
    await enforceRateLimit(rateLimitRules.attachmentsPerAccount, alice.id, undefined, max - 1);
    await create(1);
    await expectError(create(1), "TOO_MANY_REQUESTS", "RATE_LIMITED");
    const { create: someoneElse } = await aliceToBob();
    await someoneElse(1);
  });
});
