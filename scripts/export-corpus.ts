// `npm run export:corpus [file]`: writes the AI training corpus as JSONL — public posts of the
// people who granted ai_training_corpus, with the policy version they granted, and nobody else's.
// Runs against DATABASE_URL or the embedded database.
import { createWriteStream } from "node:fs";
import { startEmbeddedPostgres } from "../server/data/embedded/start-embedded-postgres";
import { parseServerEnv } from "../server/env";

async function main(): Promise<void> {
  const out = process.argv[2] ?? `hearth-corpus-${new Date().toISOString().slice(0, 10)}.jsonl`;
  // Parsed uncached: the data layer's serverEnv() must see the URL set below.
  const env = parseServerEnv(process.env);
  const embedded = env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: env.HEARTH_DATA_DIR, databaseName: "hearth" });
  if (embedded) process.env.DATABASE_URL = embedded.url;
  try {
    // Imported after DATABASE_URL is known: the data layer reads it when first used.
    const { exportTrainingCorpus } = await import("../server/data/privacy/training-corpus");
    const file = createWriteStream(out);
    const result = await exportTrainingCorpus({
      purpose: "ai_training_corpus",
      write: (record) =>
        new Promise<void>((resolve, reject) => {
          file.write(`${JSON.stringify(record)}\n`, (error) => (error ? reject(error) : resolve()));
        }),
    });
    await new Promise<void>((resolve) => file.end(resolve));
    console.log(`Wrote ${result.posts} posts of ${result.people} consenting people to ${out}.`);
  } finally {
    const { closeDatabase } = await import("../server/data/close-database");
    await closeDatabase();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
