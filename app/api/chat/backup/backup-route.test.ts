// The encrypted-backup route as a browser meets it: real requests into the route handlers, on the
// real test database; plus the backup status over tRPC and the metadata in the data export.
import { describe, expect, it } from "vitest";
import { MAX_BACKUP_BYTES } from "@/server/data/chat/backups";
import { exportReaders } from "@/server/data/privacy/export-data";
import { signedUpPerson, type TestPerson } from "@/server/testing/test-browser";
import { DELETE, GET, PUT } from "./[kind]/route";

const ORIGIN = "http://localhost:3000";
const SAME_ORIGIN = { origin: ORIGIN, host: "localhost:3000" };

function request(method: string, kind: string, options: { cookie?: string; headers?: Record<string, string>; body?: BodyInit } = {}) {
  const headers = { ...(method === "GET" ? {} : SAME_ORIGIN), ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers };
  const init: RequestInit & { duplex?: "half" } = { method, headers, body: options.body };
  if (options.body instanceof ReadableStream) init.duplex = "half";
  const handler = { GET, PUT, DELETE }[method]!;
  return handler(new Request(`${ORIGIN}/api/chat/backup/${kind}`, init), { params: Promise.resolve({ kind }) });
}

const put = (owner: TestPerson, kind: string, version: string, blob: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
  request("PUT", kind, {
    cookie: owner.browser.cookie,
    body: blob,
    headers: { "x-backup-version": version, "content-length": String(blob.byteLength), ...headers },
  });
const get = (owner: TestPerson, kind: string) => request("GET", kind, { cookie: owner.browser.cookie });

async function errorOf(response: Response): Promise<{ status: number; code: string }> {
  return { status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code };
}

const blobOf = (n: number) => new Uint8Array(n).map((_, i) => (i * 7) & 0xff);

/** A body that arrives in `chunks` pieces of `size` bytes without a Content-Length. */
function streamOf(chunks: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ === chunks) controller.close();
      else controller.enqueue(new Uint8Array(size));
    },
  });
}

describe("the backup route", () => {
  it("stores a blob per kind, serves it back as it was, and refuses any version not above the stored one", async () => {
    const alice = await signedUpPerson();
    expect(await errorOf(await get(alice, "recovery-key"))).toEqual({ status: 404, code: "NOT_FOUND" });

    const v1 = blobOf(1000);
    expect((await put(alice, "recovery-key", "1", v1)).status).toBe(204);
    const served = await get(alice, "recovery-key");
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("application/octet-stream");
    expect(served.headers.get("x-backup-version")).toBe("1");
    expect(served.headers.get("cache-control")).toBe("no-store");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(v1);

    expect(await errorOf(await put(alice, "recovery-key", "1", blobOf(10)))).toEqual({ status: 409, code: "BACKUP_VERSION_CONFLICT" });
    expect((await put(alice, "recovery-key", "7", blobOf(2000))).status).toBe(204);
    expect(await errorOf(await put(alice, "recovery-key", "6", blobOf(10)))).toEqual({ status: 409, code: "BACKUP_VERSION_CONFLICT" });
    expect((await get(alice, "recovery-key")).headers.get("x-backup-version")).toBe("7");

    // The other kind has its own versions.
    expect((await put(alice, "passphrase", "1", blobOf(300))).status).toBe(204);
    const status = await alice.call((api) => api.chat.backup.status());
    expect(status).toEqual([
      { kind: "passphrase", version: 1, bytes: 300, updatedAt: expect.any(Date) },
      { kind: "recoveryKey", version: 7, bytes: 2000, updatedAt: expect.any(Date) },
    ]);

    // The export lists what the server knows of them, never the blobs.
    const exported = await exportReaders(alice.id).chatBackups();
    expect(exported).toEqual([
      { kind: "passphrase", version: 1, bytes: 300, updated_at: expect.any(Date) },
      { kind: "recovery_key", version: 7, bytes: 2000, updated_at: expect.any(Date) },
    ]);

    // Each account sees only its own.
    const bob = await signedUpPerson();
    expect((await get(bob, "recovery-key")).status).toBe(404);
    expect(await bob.call((api) => api.chat.backup.status())).toEqual([]);

    expect((await request("DELETE", "passphrase", { cookie: alice.browser.cookie })).status).toBe(204);
    expect((await get(alice, "passphrase")).status).toBe(404);
    expect((await request("DELETE", "passphrase", { cookie: alice.browser.cookie })).status).toBe(204);
    expect((await alice.call((api) => api.chat.backup.status())).map((s) => s.kind)).toEqual(["recoveryKey"]);
    // After a deletion any version starts again.
    expect((await put(alice, "passphrase", "1", blobOf(5))).status).toBe(204);
  });

  it("needs a session, this origin for changes, and a known kind", async () => {
    const alice = await signedUpPerson();
    expect(await errorOf(await request("GET", "recovery-key"))).toEqual({ status: 401, code: "UNAUTHENTICATED" });
    expect(await errorOf(await request("PUT", "recovery-key", { body: blobOf(10), headers: { "x-backup-version": "1" } }))).toEqual({
      status: 401,
      code: "UNAUTHENTICATED",
    });
    const foreign = { origin: "https://evil.example", host: "localhost:3000" };
    expect(await errorOf(await put(alice, "recovery-key", "1", blobOf(10), foreign))).toEqual({ status: 403, code: "FORBIDDEN_ORIGIN" });
    expect(await errorOf(await request("DELETE", "recovery-key", { cookie: alice.browser.cookie, headers: foreign }))).toEqual({
      status: 403,
      code: "FORBIDDEN_ORIGIN",
    });
    expect(await errorOf(await get(alice, "recovery_key"))).toEqual({ status: 404, code: "NOT_FOUND" });
    expect(await errorOf(await get(alice, "constructor"))).toEqual({ status: 404, code: "NOT_FOUND" });
    expect(await errorOf(await put(alice, "other", "1", blobOf(10)))).toEqual({ status: 404, code: "NOT_FOUND" });
    expect(await alice.call((api) => api.chat.backup.status())).toEqual([]);
  });

  it("refuses a missing or malformed version, an empty or cut-off body, and more than 32 MiB", async () => {
    const alice = await signedUpPerson();
    const noVersion = await request("PUT", "passphrase", { cookie: alice.browser.cookie, body: blobOf(10) });
    expect(await errorOf(noVersion)).toEqual({ status: 400, code: "REQUEST_INVALID" });
    for (const version of ["0", "-1", "01", "1.5", "abc", "1e3", "2147483648", "99999999999"]) {
      expect(await errorOf(await put(alice, "passphrase", version, blobOf(10))), version).toEqual({ status: 400, code: "REQUEST_INVALID" });
    }
    expect((await put(alice, "passphrase", "2147483647", blobOf(1))).status).toBe(204);

    expect(await errorOf(await put(alice, "recovery-key", "1", new Uint8Array(0)))).toEqual({ status: 400, code: "REQUEST_INVALID" });
    expect(await errorOf(await put(alice, "recovery-key", "1", blobOf(100), { "content-length": "200" }))).toEqual({
      status: 400,
      code: "REQUEST_INVALID",
    });

    const declared = { "content-length": String(MAX_BACKUP_BYTES + 1) };
    expect(await errorOf(await put(alice, "recovery-key", "1", blobOf(10), declared))).toEqual({ status: 413, code: "BODY_TOO_LARGE" });
    // Without a Content-Length the bytes are counted as they arrive.
    const streamed = request("PUT", "recovery-key", { cookie: alice.browser.cookie, body: streamOf(33, 1024 * 1024), headers: { "x-backup-version": "1" } });
    expect(await errorOf(await streamed)).toEqual({ status: 413, code: "BODY_TOO_LARGE" });
    expect((await get(alice, "recovery-key")).status).toBe(404);

    const exactlyMax = request("PUT", "recovery-key", { cookie: alice.browser.cookie, body: streamOf(32, 1024 * 1024), headers: { "x-backup-version": "1" } });
    expect((await exactlyMax).status).toBe(204);
    expect(await alice.call((api) => api.chat.backup.status())).toContainEqual(expect.objectContaining({ kind: "recoveryKey", bytes: MAX_BACKUP_BYTES }));
  });

  it("limits how many backups an account stores in an hour", async () => {
    const alice = await signedUpPerson();
    for (let version = 1; version <= 60; version++) expect((await put(alice, "passphrase", String(version), blobOf(1))).status).toBe(204);
    const refused = await put(alice, "passphrase", "61", blobOf(1));
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await errorOf(refused)).toEqual({ status: 429, code: "RATE_LIMITED" });
  });
});
