// `npm run seed`: fills DATABASE_URL, or the embedded database, with a demo world (50 people,
// 2,000 posts with threads, follows, likes and pictures), after applying pending migrations.
// Refuses a database that already has people unless --force is given. While `npm start` runs the
// embedded database, the seed writes into that running database.
//   --force          add the world even though the database has people
//   --people N       (50)   --posts N (2000)   --seed N (2026)   --no-images
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "../server/data/embedded/start-embedded-postgres";
import { migrateDatabase } from "../server/data/migrations/migrate-database";
import { parseServerEnv } from "../server/env";
import { describeWorld } from "../prisma/seed/describe-world";
import { DEMO_WORLD, generateWorld } from "../prisma/seed/generate-world";
import { databaseHasPeople } from "../prisma/seed/offer-demo-world";

const { values: args } = parseArgs({
  options: {
    force: { type: "boolean", default: false },
    people: { type: "string" },
    posts: { type: "string" },
    seed: { type: "string" },
    "no-images": { type: "boolean", default: false },
  },
});

function count(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a whole number, not "${value}".`);
  return parsed;
}

async function main(): Promise<void> {
  const people = count(args.people, DEMO_WORLD.people, "people");
  const posts = count(args.posts, DEMO_WORLD.posts, "posts");
  const seed = count(args.seed, DEMO_WORLD.seed, "seed");
  const env = parseServerEnv(process.env);
  const dataDir = path.resolve(env.HEARTH_DATA_DIR);
  const embedded = env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir, databaseName: "hearth", ifRunning: "use" });
  if (embedded?.shared) console.log(`Adding to the embedded database that is already running (port ${new URL(embedded.url).port}).`);
  try {
    const databaseUrl = env.DATABASE_URL ?? embedded!.url;
    await migrateDatabase({ databaseUrl, log: console.log });
    if ((await databaseHasPeople(databaseUrl)) && !args.force) {
      console.error(
        "This database already has people in it, so no demo world was added (it would sit beside them).\n" +
          "Run `npm run seed -- --force` to add one anyway, or point DATABASE_URL / HEARTH_DATA_DIR at an empty database.",
      );
      process.exitCode = 1;
      return;
    }
    const summary = await generateWorld({
      databaseUrl,
      people,
      posts,
      seed,
      withImages: !args["no-images"],
      mediaDir: path.join(dataDir, "media"),
      log: console.log,
    });
    for (const line of describeWorld(summary)) console.log(line);
  } finally {
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
