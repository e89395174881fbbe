// No secret is tracked in the repository: no private key block, no token in a well-known format, no
// high-entropy value under a secret-sounding name (in any file's string literals, and in any value of
// an .env-like file), and none of the files the server makes to hold its secrets (the rate-limit key,
// the embedded database's credentials), which must also stay git-ignored where they are made. Each
// detector is first shown to fire on a sample made at run time, so that this file holds none itself.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

/**
 * Values that are public on purpose, each checked to be still defined where it says, so that a
 * stale entry fails. The two passwords are low-entropy phrases the high-entropy check would pass
 * anyway, listed for the .env-like check, where any value under a secret-sounding name counts.
 */
const PUBLIC_ON_PURPOSE = [
  // The router tests' password (and the browser tests' newAccount()): only ever on throwaway databases.
  { value: "lantern orbit meadow", definedIn: "server/testing/test-browser.ts" },
  // The demo world's shared password, printed by `npm run seed` so that anyone can try the demo.
  { value: "hearth-demo-world", definedIn: "prisma/seed/generate-world.ts" },
  // The web-push codelab's example VAPID key, published by Google: kept so that production refuses it.
  { value: "UUxI4O8-FbRouAevSmBQ6o18hgE4nSG3qwvJTfKc-ls", definedIn: "server/development-keys.ts" },
];

/** Files the server makes to hold a secret, by name (rate-limit-secret.ts; start-embedded-postgres.ts). */
const SECRET_FILE_NAMES = [/^rate-limit-secret$/, /^rate-limit-secret\.\d+\.[0-9a-f]{8}$/, /^postgres-credentials\.json$/];
const DEFAULT_DATA_DIR = ".data";

const SECRET_NAME = /secret|passw(?:or)?d|passphrase|token|api[_-]?key|private[_-]?key|credential|auth[_-]?key/i;
// Assembled, so that this file does not itself hold what it looks for.
const PRIVATE_KEY_BLOCK = new RegExp(["-----", "BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?", "-----"].join(""));
const WELL_KNOWN_TOKENS: Array<[string, RegExp]> = [
  ["AWS access key id", /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ["GitHub token", /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ["Slack token", /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
  ["Stripe secret key", /\b[rs]k_live_[A-Za-z0-9]{16,}/],
  ["Google API key", /\bAIza[0-9A-Za-z_-]{35}\b/],
];
/** A name followed by = or : and a quoted literal, as in code, JSON, YAML. */
const QUOTED_ASSIGNMENT = /([A-Za-z0-9_$-]*)["']?\s*[:=]\s*["'`]([^"'`\s]{16,})["'`]/g;
/** NAME=value lines of an .env-like file, quoted or not. */
const ENV_LINE = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=([^\n]*)/gm;

function isEnvLike(file: string): boolean {
  const name = path.basename(file);
  return /^\.env(\..+)?$/.test(name) || name.endsWith(".env") || name === ".envrc";
}

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}

const isPublicOnPurpose = (value: string) => PUBLIC_ON_PURPOSE.some((entry) => entry.value === value);
/** Long and varied; a template's ${…} is code that makes a value, not a value. */
const looksRandom = (value: string) => value.length >= 16 && entropy(value) >= 3.5 && !value.includes("${");

/** What in one file's text looks like a secret, as "what: where" lines. */
function findSecrets(file: string, text: string): string[] {
  const found: string[] = [];
  if (PRIVATE_KEY_BLOCK.test(text)) found.push(`private key block: ${file}`);
  for (const [what, pattern] of WELL_KNOWN_TOKENS) if (pattern.test(text)) found.push(`${what}: ${file}`);
  for (const [, name = "", value = ""] of text.matchAll(QUOTED_ASSIGNMENT)) {
    if (SECRET_NAME.test(name) && looksRandom(value) && !isPublicOnPurpose(value)) found.push(`high-entropy ${name}: ${file}`);
  }
  if (isEnvLike(file)) {
    for (const [, name = "", rest = ""] of text.matchAll(ENV_LINE)) {
      const value = rest
        .replace(/\s+#.*$/, "")
        .trim()
        .replace(/^(["'])(.*)\1$/, "$2");
      // An example file may name a variable; any value under a secret-sounding name is a secret.
      if (SECRET_NAME.test(name) && value && !/^<.*>$|^changeme$/i.test(value) && !isPublicOnPurpose(value)) found.push(`${name} set: ${file}`);
    }
  }
  return found;
}

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: root, encoding: "utf8" });
}

function trackedFiles(): string[] {
  return git("ls-files", "-z").split("\0").filter(Boolean);
}

/** A tracked file's text; null for binary files and files deleted from the work tree. */
function textOf(file: string): string | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(root, file));
  } catch {
    return null;
  }
  return bytes.includes(0) ? null : bytes.toString("utf8");
}

describe("the detectors", () => {
  const hex = randomBytes(32).toString("hex");
  it("fire on samples of each kind of secret", () => {
    const pem = [["-----", "BEGIN OPENSSH PRIVATE KEY", "-----"].join(""), "b3BlbnNzaC1rZXktdjEAAAAA"].join("\n");
    expect(findSecrets("keys/deploy", pem)).toEqual(["private key block: keys/deploy"]);
    expect(findSecrets("ci.yml", `token: ${["gh", "p_"].join("")}${"a1B2".repeat(9)}`)).toEqual(["GitHub token: ci.yml"]);
    expect(findSecrets("server/config.ts", `const rateLimitSecret = "${hex}";`)).toEqual(["high-entropy rateLimitSecret: server/config.ts"]);
    expect(findSecrets("config.json", `{ "apiKey": "${randomBytes(24).toString("base64url")}" }`)).toEqual(["high-entropy apiKey: config.json"]);
    expect(findSecrets(".env.production", `DATABASE_URL=postgres://db\nHEARTH_RATE_LIMIT_SECRET=${hex}\nADMIN_PASSWORD="hunter2"`)).toEqual([
      "HEARTH_RATE_LIMIT_SECRET set: .env.production",
      "ADMIN_PASSWORD set: .env.production",
    ]);
  });

  it("pass what is not a secret: names without values, low-entropy words, placeholders and the public test passwords", () => {
    expect(findSecrets("server/auth/router.ts", 'password: ZNewPasswordSchema, token: "not-a-real-hash-but-long"')).toEqual([]);
    expect(findSecrets(".env.example", "HEARTH_RATE_LIMIT_SECRET=\nAPI_TOKEN=<your token>\nDEMO_PASSWORD=hearth-demo-world")).toEqual([]);
    expect(findSecrets("server/seed.ts", 'const password = "lantern orbit meadow";')).toEqual([]);
    expect(findSecrets("server/make.ts", "const token = `${prefix}${randomBytes(24).toString('hex')}`;")).toEqual([]);
  });
});

describe("the repository", () => {
  it("tracks no private key, token or secret value", () => {
    const files = trackedFiles();
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((file) => {
      const text = textOf(file);
      return text === null ? [] : findSecrets(file, text);
    });
    expect(found).toEqual([]);
  });

  it("tracks none of the files that hold the server's secrets, and ignores them where the server makes them", () => {
    const tracked = trackedFiles().filter((file) => SECRET_FILE_NAMES.some((name) => name.test(path.basename(file))));
    expect(tracked).toEqual([]);
    for (const name of ["rate-limit-secret", "rate-limit-secret.1234.0a1b2c3d", "postgres-credentials.json"]) {
      expect(
        SECRET_FILE_NAMES.some((pattern) => pattern.test(name)),
        name,
      ).toBe(true);
      // check-ignore prints the path when it is ignored (and exits 1 when it is not).
      expect(git("check-ignore", path.join(DEFAULT_DATA_DIR, name)).trim()).toBe(path.join(DEFAULT_DATA_DIR, name));
    }
  });

  it("keeps the public-on-purpose passwords where the allow-list says they are defined", () => {
    for (const { value, definedIn } of PUBLIC_ON_PURPOSE) expect(readFileSync(path.join(root, definedIn), "utf8"), definedIn).toContain(`"${value}"`);
  });
});
