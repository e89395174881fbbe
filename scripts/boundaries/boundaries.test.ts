// The import boundaries are only real if they fire: cruise a fixture folder of deliberate
// violations with the repository's own dependency-cruiser config and expect each one reported,
// and nothing reported for the files that stay inside the rules.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const FIXTURES = path.resolve(import.meta.dirname, "fixtures");

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
  cycle?: unknown[];
}

async function cruiseFixtures(config = ".dependency-cruiser.cjs"): Promise<Violation[]> {
  const depcruise = path.resolve("node_modules/.bin/depcruise");
  // depcruise exits non-zero when it finds violations, which is the point here: read its JSON anyway.
  const result = await promisify(execFile)(depcruise, ["--config", `../../../${config}`, "--output-type", "json", "app", "server", "scripts", "bench"], {
    cwd: FIXTURES,
    maxBuffer: 16 << 20,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  return (JSON.parse(result.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe("import boundaries", () => {
  it("reports every deliberate violation in the fixtures, by the rule it breaks, and nothing else", async () => {
    const found = (await cruiseFixtures()).map((v) => `${v.rule.name}: ${v.from}`).sort();
    expect(found).toEqual(
      [
        "not-to-unresolvable: app/chat/violates-unresolvable.ts",
        // Static, dynamic, raw pg and Prisma's own client, from server, scripts and a chat crypto test.
        "database-outside-data-layer: server/api/social/violates-static-database.ts",
        "database-outside-data-layer: server/jobs/violates-dynamic-database.ts",
        "database-outside-data-layer: server/auth/violates-raw-pg.ts",
        "database-outside-data-layer: scripts/violates-prisma-client.ts",
        "database-in-chat-client: app/_chat/crypto/violates-database-in-test.test.ts",
        "crypto-outside-core: app/_chat/ui/violates-sodium.ts",
        "crypto-outside-core: app/_social/violates-ml-kem.ts",
        // The chat module's route handlers and data layer are inside the chat rules too.
        "chat-imports-social: app/api/chat/violates-social.ts",
        "chat-imports-social: server/data/chat/violates-social.ts",
        "chat-imports-social: server/api/chat/violates-social-dynamic.ts",
        "server-imports-app: server/api/violates-app.ts",
        "app-imports-server-values: app/_social/violates-server-value.ts",
        "no-circular: server/jobs/violates-cycle-a.ts",
      ].sort(),
    );
  }, 60_000);

  it("reports every chat file that leads to the social module through other files, except through the composition root", async () => {
    const found = (await cruiseFixtures(".dependency-cruiser.chat-app.mjs")).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
    expect(found).toEqual(
      [
        // Through shared code that uses the social module: the chat-only app would carry it.
        "chat-app-reaches-social: app/_chat/ui/violates-reach-social.ts → app/_social/feed.ts",
        // Direct imports are reached too.
        "chat-app-reaches-social: app/api/chat/violates-social.ts → app/_social/feed.ts",
        "chat-app-reaches-social: server/data/chat/violates-social.ts → server/data/social/posts.ts",
        "chat-app-reaches-social: server/api/chat/violates-social-dynamic.ts → server/api/social/profile.ts",
      ].sort(),
    );
  }, 60_000);
});
