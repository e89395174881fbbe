// Export benchmark: one person with 10,000 posts (some edited) and 500 images, exported to a ZIP
// by the same code the export worker runs. Reports the time and the process's peak memory.
// Usage: npx tsx --conditions=react-server bench/export/run.ts [--posts 10000] [--images 500]
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { startEmbeddedPostgres } from "../../server/data/embedded/start-embedded-postgres";
import { applyMigrations } from "../../server/data/migrations/apply-migrations";

const { values } = parseArgs({ options: { posts: { type: "string", default: "10000" }, images: { type: "string", default: "500" } } });
const POSTS = Number(values.posts);
const IMAGES = Number(values.images);

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "hearth-bench-export-"));
  process.env.HEARTH_DATA_DIR = dataDir;
  const database = await startEmbeddedPostgres({ dataDir, databaseName: "hearth" });
  process.env.DATABASE_URL = database.url;
  try {
    await applyMigrations({ databaseUrl: database.url, migrationsDir: path.resolve("prisma/migrations") });
    // Imported once DATABASE_URL and HEARTH_DATA_DIR are set: both are read on first use.
    const { db } = await import("../../server/data/db");
    const { mediaStorage, previewKeyOf } = await import("../../server/media/media-storage");

    const user = await db().user.create({
      data: { handle: "exporter", email: "exporter@example.org", passwordHash: "x", displayName: "Exporter", profile: { create: {} } },
    });
    const seedStart = performance.now();
    await db().$executeRaw`
      INSERT INTO posts (id, author_id, text, root_id, created_at)
      SELECT s.id, ${user.id}::uuid, 'Post number ' || s.n || ' about #hearth and the weather, with a little more text to be realistic.', s.id,
             now() - (s.n || ' minutes')::interval
      FROM (SELECT gen_random_uuid() AS id, n FROM generate_series(1, ${POSTS}) n) s`;
    await db().$executeRaw`
      INSERT INTO post_edits (id, post_id, text, written_at)
      SELECT gen_random_uuid(), id, 'An earlier version', created_at FROM posts WHERE author_id = ${user.id}::uuid ORDER BY created_at LIMIT ${Math.floor(POSTS / 10)}`;
    const storage = mediaStorage();
    const posts = await db().post.findMany({ where: { authorId: user.id }, select: { id: true }, take: IMAGES });
    for (let i = 0; i < IMAGES; i++) {
      // Distinct ~100 kB photos-like files, so the ZIP really streams half a hundred megabytes.
      const noise = randomBytes(256 * 256 * 3);
      const full = await sharp(noise, { raw: { width: 256, height: 256, channels: 3 } })
        .webp({ quality: 90 })
        .toBuffer();
      const key = randomBytes(16).toString("hex");
      await storage.put(key, full);
      await storage.put(previewKeyOf(key), full);
      await db().media.create({
        data: {
          ownerId: user.id,
          postId: posts[i % posts.length]!.id,
          storageKey: key,
          mimeType: "image/webp",
          width: 256,
          height: 256,
          bytes: full.length,
          altText: `Image ${i}`,
        },
      });
    }
    console.error(`Seeded ${POSTS} posts and ${IMAGES} images in ${((performance.now() - seedStart) / 1000).toFixed(1)} s.`);

    await db().$disconnect();
    // The export runs in a process of its own, as the worker would, so its peak memory is its own.
    const child = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "bench/export/build-one.ts", user.id], {
      encoding: "utf8",
      env: process.env,
      timeout: 300_000,
    });
    if (child.status !== 0) throw new Error(`The export failed:\n${child.stderr}`);
    const result = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as { seconds: number; bytes: number; maxRssKiB: number };
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
    console.log("| Posts | Images | ZIP size | Time | Peak RSS of the export process |");
    console.log("| ---: | ---: | ---: | ---: | ---: |");
    console.log(`| ${POSTS} | ${IMAGES} | ${mib(result.bytes)} MiB | ${result.seconds.toFixed(1)} s | ${mib(result.maxRssKiB * 1024)} MiB |`);
  } finally {
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
