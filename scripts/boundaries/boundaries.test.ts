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

async function cruiseFixtures(): Promise<Violation[]> {
  const depcruise = path.resolve("node_modules/.bin/depcruise");
  // depcruise exits non-zero when it finds violations, which is the point here: read its JSON anyway.
  const result = await promisify(execFile)(
    depcruise,
    ["--config", "../../../.dependency-cruiser.cjs", "--output-type", "json", "app", "server", "scripts", "bench"],
    { cwd: FIXTURES, maxBuffer: 16 << 20 },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
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
});
