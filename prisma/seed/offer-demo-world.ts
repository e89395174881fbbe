// On `npm start` with an empty database: offer a demo world when someone is at the terminal,
// otherwise say in one line how to get one. Never waits for input unless stdin and stdout are
// both a terminal (and CI is unset), so scripted and CI runs are never held up.
import { createInterface } from "node:readline/promises";
import pg from "pg";
import { toolEnv } from "../../scripts/tool-env";

export const DEMO_WORLD_QUESTION = "This database is empty. Create a demo world with 50 people and 2,000 posts? [y/N] ";

export async function databaseHasPeople(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ any: boolean }>("SELECT EXISTS (SELECT 1 FROM users) AS any");
    return rows[0]?.any ?? false;
  } finally {
    await client.end();
  }
}

/** Resolves to the answer; Ctrl-C or Ctrl-D count as no. */
async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const cancelled = new Promise<string>((resolve) => {
      rl.once("SIGINT", () => resolve(""));
      rl.once("close", () => resolve(""));
    });
    return await Promise.race([rl.question(question), cancelled]);
  } finally {
    rl.close();
  }
}

export async function offerDemoWorld(options: { databaseUrl: string; mediaDir: string; log: (line: string) => void }): Promise<void> {
  if (await databaseHasPeople(options.databaseUrl)) return;
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !toolEnv().CI;
  if (!interactive) {
    options.log("The database is empty: `npm run seed` fills it with a demo world (50 people, 2,000 posts) to explore.");
    return;
  }
  if (!/^\s*y(es)?\s*$/i.test(await ask(DEMO_WORLD_QUESTION))) return;
  const { DEMO_WORLD, generateWorld } = await import("./generate-world");
  const { describeWorld } = await import("./describe-world");
  const summary = await generateWorld({ ...DEMO_WORLD, databaseUrl: options.databaseUrl, withImages: true, mediaDir: options.mediaDir, log: options.log });
  for (const line of describeWorld(summary)) options.log(line);
}
