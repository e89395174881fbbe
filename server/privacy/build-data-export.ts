// Builds one person's data export as a ZIP, streamed to disk: JSON files read in batches,
// media files read one at a time (never all in memory), a README.html overview and the JSON
// Schema that describes every file. Reports progress as entries are written.
import "server-only";
import { createWriteStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { ZipFile } from "yazl";
import { exportReaders } from "../data/privacy/export-data";
import { mediaStorage } from "../media/media-storage";
import { exportBuildPath, storeBuiltExport } from "./export-files";
import { renderExportReadme, type ExportFileSummary } from "./render-export-readme";

export const EXPORT_SCHEMA_PATH = path.resolve("docs/export-schema.json");

type JsonSource = (() => Promise<unknown>) | (() => AsyncIterable<unknown>);

/** A JSON array written item by item, so large collections stream. */
async function* jsonArray(items: AsyncIterable<unknown>, count: { n: number }): AsyncGenerator<string> {
  yield "[";
  for await (const item of items) {
    yield `${count.n === 0 ? "\n" : ",\n"}  ${JSON.stringify(item)}`;
    count.n++;
  }
  yield count.n === 0 ? "]\n" : "\n]\n";
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

export async function buildDataExport(options: {
  userId: string;
  storageKey: string;
  onProgress: (percent: number) => Promise<void>;
  now?: Date;
}): Promise<{ bytes: number }> {
  const readers = exportReaders(options.userId);
  const profile = await readers.profile();
  const mediaRows: Awaited<ReturnType<typeof collectMedia>> = await collectMedia(readers.media());

  const files: [name: string, description: string, source: JsonSource][] = [
    ["posts.json", "Every post you wrote, with earlier versions of edited posts.", readers.posts],
    ["followers.json", "People who follow you.", readers.followers],
    ["following.json", "People you follow.", readers.following],
    ["follow_requests.json", "Pending follow requests, sent and received.", readers.followRequests],
    ["blocks.json", "People you blocked.", readers.blocks],
    ["mutes.json", "People you muted.", readers.mutes],
    ["likes.json", "Posts you liked.", readers.likes],
    ["reposts.json", "Posts you reposted.", readers.reposts],
    ["bookmarks.json", "Your private bookmarks.", readers.bookmarks],
    ["notifications.json", "Notifications you received.", readers.notifications],
    ["stories.json", "Your stories that have not expired (expired ones are deleted).", readers.stories],
    ["consent_ledger.json", "Every consent you gave or withdrew, with the policy version and screen.", readers.consentLedger],
    ["access_log.json", "Every use of your data under an optional purpose, every export and operator action.", readers.accessLog],
    ["sessions.json", "Browsers where you are signed in.", readers.sessions],
    ["security.json", "Your passkeys (names and dates) and whether two-factor authentication is on; never a key or a code.", readers.security],
    ["presence.json", "When you were last active (kept only while you share presence).", readers.presence],
    ["devices.json", "Your chat devices and their public identity keys.", readers.devices],
    [
      "push_subscriptions.json",
      "Where your devices are woken while Hearth is closed: the push service, the language and the dates; never the push address or its keys.",
      readers.pushSubscriptions,
    ],
    [
      "chat_backups.json",
      "Your encrypted chat backups: kind, version, size and time; the sealed backups themselves are downloaded in the chat.",
      readers.chatBackups,
    ],
    [
      "message_metadata.json",
      "What the server holds about encrypted messages waiting for your devices: size and time, never sender or content.",
      readers.messageMetadata,
    ],
  ];

  const totalSteps = files.length + mediaRows.length + 3;
  let done = 0;
  let lastReported = -1;
  const step = async () => {
    done++;
    const percent = Math.floor((done / totalSteps) * 100);
    if (percent !== lastReported) {
      lastReported = percent;
      await options.onProgress(percent);
    }
  };

  const partPath = await exportBuildPath(options.storageKey);
  const zip = new ZipFile();
  const written = new Promise<void>((resolve, reject) => {
    const out = createWriteStream(partPath, { mode: 0o600 });
    out.on("close", resolve);
    out.on("error", reject);
    zip.outputStream.on("error", reject);
    zip.outputStream.pipe(out);
  });
  const mtime = options.now ?? new Date();
  const summaries: ExportFileSummary[] = [];

  zip.addBuffer(Buffer.from(`${JSON.stringify(profile, null, 2)}\n`), "profile.json", { mtime });
  summaries.push({ name: "profile.json", description: "Your account and public profile.", count: 1 });

  for (const [name, description, source] of files) {
    const count = { n: 0 };
    const summary: ExportFileSummary = { name, description, count: 0 };
    summaries.push(summary);
    zip.addReadStreamLazy(name, { mtime }, (cb) => {
      const produce = async function* () {
        const value = await (source as () => unknown)();
        if (isAsyncIterable(value)) yield* jsonArray(value, count);
        else if (Array.isArray(value)) yield* jsonArray(toAsync(value), count);
        else {
          count.n = 1;
          yield `${JSON.stringify(value, null, 2)}\n`;
        }
        summary.count = count.n;
        await step();
      };
      cb(null, Readable.from(produce()));
    });
  }

  zip.addBuffer(
    Buffer.from(
      `${JSON.stringify(
        mediaRows.map(({ storageKey: _key, ...row }) => ({ ...row, file: `media/${row.id}.webp` })),
        null,
        2,
      )}\n`,
    ),
    "media.json",
    { mtime },
  );
  summaries.push({ name: "media.json", description: "Images you uploaded; the files themselves are in media/.", count: mediaRows.length });

  const storage = mediaStorage();
  for (const media of mediaRows) {
    zip.addReadStreamLazy(`media/${media.id}.webp`, { mtime, compress: false }, (cb) => {
      storage
        .read(media.storageKey)
        .then(async (file) => {
          await step();
          cb(null, file ? Readable.fromWeb(file.stream as WebReadableStream<Uint8Array>) : Readable.from([]));
        })
        .catch((error: unknown) => cb(error as Error, Readable.from([])));
    });
  }

  zip.addBuffer(await readFile(EXPORT_SCHEMA_PATH), "schema.json", { mtime });
  // The README is written last so that it can state the real counts.
  zip.addReadStreamLazy("README.html", { mtime }, (cb) => {
    cb(null, Readable.from([renderExportReadme({ handle: profile.handle, generatedAt: mtime, files: summaries })]));
  });
  zip.end();
  await written;
  const { size } = await stat(partPath);
  await storeBuiltExport(options.storageKey, partPath);
  await options.onProgress(100);
  return { bytes: size };
}

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

async function collectMedia(
  rows: AsyncIterable<{
    id: string;
    storageKey: string;
    mimeType: string;
    width: number;
    height: number;
    bytes: number;
    altText: string;
    postId: string | null;
    createdAt: Date;
  }>,
) {
  const all = [];
  for await (const row of rows) {
    all.push({
      id: row.id,
      storageKey: row.storageKey,
      mime_type: row.mimeType,
      width: row.width,
      height: row.height,
      bytes: row.bytes,
      alt_text: row.altText,
      post_id: row.postId,
      created_at: row.createdAt,
    });
  }
  return all;
}
