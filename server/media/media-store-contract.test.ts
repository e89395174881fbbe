// One contract, two backends: the local disk and an S3 store (gofakes3, a stand-in S3 server built
// by scripts/s3/fake-s3.ts; SeaweedFS and MinIO cannot be built here). Whatever passes here serves
// post images, stories, avatars and resumable chat attachment uploads the same on either.
// Without the gofakes3 build the S3 half is skipped, saying why, except in CI, where it must run.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFakeS3, GET_FAKE_S3_HELP, startFakeS3, type FakeS3 } from "../../scripts/s3/fake-s3";
import { toolEnv } from "../../scripts/tool-env";
import { localDiskStorage } from "./local-disk-storage";
import type { MediaStorage } from "./media-store";
import { s3Client, s3Storage } from "./s3-storage";

const fakeS3Binary = findFakeS3();
if (!fakeS3Binary && toolEnv().CI) throw new Error(`CI must test the S3 storage backend.\n${GET_FAKE_S3_HELP}`);
if (!fakeS3Binary) console.warn(`The S3 half of media-store-contract.test.ts is skipped.\n${GET_FAKE_S3_HELP}`);

const MiB = 1024 * 1024;

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function key(): string {
  return randomBytes(16).toString("hex");
}

function contract(name: string, open: () => Promise<{ store: MediaStorage; close(): Promise<void> }>, enabled = true) {
  describe.skipIf(!enabled)(`media storage contract: ${name}`, () => {
    let store: MediaStorage;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(async () => close?.());

    it("gives back a stored file whole and from an offset, with its size", async () => {
      const k = key();
      const bytes = randomBytes(5000);
      await store.put(k, bytes);
      expect(await store.size(k)).toBe(5000);
      const whole = await store.read(k);
      expect(whole?.size).toBe(5000);
      expect(await bytesOf(whole!.stream)).toEqual(bytes);
      const tail = await store.read(k, { start: 4000 });
      expect(tail?.size).toBe(5000);
      expect(await bytesOf(tail!.stream)).toEqual(bytes.subarray(4000));
      expect(await bytesOf((await store.read(k, { start: 5000 }))!.stream)).toHaveLength(0);
    });

    it("stores a finished file from this instance's disk (an export) and gives it back", async () => {
      const k = `${key()}.zip`;
      const bytes = randomBytes(3 * MiB + 17);
      const built = path.join(await mkdtemp(path.join(tmpdir(), "hearth-media-built-")), "export.zip.part");
      await writeFile(built, bytes);
      await store.putFile(k, built);
      const file = await store.read(k);
      expect(file?.size).toBe(bytes.length);
      expect((await bytesOf(file!.stream)).equals(bytes)).toBe(true);
      await store.delete(k);
    });

    it("says null for a file that is not there, and deletes one that is not there without complaint", async () => {
      const k = key();
      expect(await store.size(k)).toBeNull();
      expect(await store.read(k)).toBeNull();
      await expect(store.delete(k)).resolves.toBeUndefined();
    });

    it("refuses keys that could leave its area", async () => {
      for (const bad of ["../secret", "a/b", "", ".hidden", "A"]) await expect(store.put(bad, new Uint8Array(1))).rejects.toThrow(/Invalid media key/);
    });

    it("joins appended parts in order, and reads from the middle of a later part", async () => {
      const k = key();
      const parts = [randomBytes(3000), randomBytes(1), randomBytes(7000)];
      let at = 0;
      for (const part of parts) {
        await store.append(k, part, { at });
        at += part.length;
      }
      const all = Buffer.concat(parts);
      expect(await store.size(k)).toBe(all.length);
      expect(await bytesOf((await store.read(k))!.stream)).toEqual(all);
      const fromMiddle = await store.read(k, { start: 3500 });
      expect(fromMiddle?.size).toBe(all.length);
      expect(await bytesOf(fromMiddle!.stream)).toEqual(all.subarray(3500));
    });

    it("replaces a part written but never recorded when the upload resumes at its offset", async () => {
      const k = key();
      const first = randomBytes(100);
      await store.append(k, first, { at: 0 });
      await store.append(k, randomBytes(50), { at: 100 }); // written, then the server died before counting it
      const again = randomBytes(80);
      await store.append(k, again, { at: 100 });
      expect(await store.size(k)).toBe(180);
      expect(await bytesOf((await store.read(k))!.stream)).toEqual(Buffer.concat([first, again]));
    });

    it("refuses an append past the end of what is stored (recorded bytes would be missing)", async () => {
      const k = key();
      await store.append(k, randomBytes(10), { at: 0 });
      await expect(store.append(k, randomBytes(10), { at: 20 })).rejects.toThrow(/fewer than/);
      expect(await store.size(k)).toBe(10);
    });

    it("deletes stored and appended files for good", async () => {
      const whole = key();
      const appended = key();
      await store.put(whole, randomBytes(10));
      await store.append(appended, randomBytes(10), { at: 0 });
      await store.append(appended, randomBytes(10), { at: 10 });
      await store.delete(whole);
      await store.delete(appended);
      expect(await store.read(whole)).toBeNull();
      expect(await store.size(appended)).toBeNull();
    });

    it("streams a 24 MiB attachment uploaded in 8 MiB parts back byte for byte", { timeout: 60_000 }, async () => {
      const k = key();
      const hash = createHash("sha256");
      let at = 0;
      for (const size of [8 * MiB, 8 * MiB, 8 * MiB - 123]) {
        const part = randomBytes(size);
        hash.update(part);
        await store.append(k, part, { at });
        at += size;
      }
      const file = await store.read(k);
      expect(file?.size).toBe(at);
      const back = createHash("sha256");
      let largestChunk = 0;
      for await (const chunk of file!.stream) {
        back.update(chunk);
        largestChunk = Math.max(largestChunk, chunk.byteLength);
      }
      expect(back.digest("hex")).toBe(hash.digest("hex"));
      // Streamed, not gathered: no chunk is anywhere near a whole part.
      expect(largestChunk).toBeLessThan(2 * MiB);
      await store.delete(k);
    });
  });
}

contract("local disk", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "hearth-media-contract-"));
  return { store: localDiskStorage(dir), close: () => rm(dir, { recursive: true, force: true }) };
});

contract(
  "S3 (gofakes3, a stand-in S3 server)",
  async () => {
    const s3: FakeS3 = await startFakeS3({ binary: fakeS3Binary! });
    const client = s3Client({
      endpoint: s3.endpoint,
      region: "us-east-1",
      bucket: s3.bucket,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      forcePathStyle: true,
    });
    return {
      store: s3Storage({ client, bucket: s3.bucket, prefix: "media/" }),
      async close() {
        client.destroy();
        await s3.stop();
      },
    };
  },
  fakeS3Binary !== null,
);
