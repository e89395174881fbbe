// The configuration's one schema: bad values stop start-up naming the variable (never echoing its
// value), test-only switches stay off in production unless a test server says it is one, the
// defaults are the documented ones, README lists every variable, and the lint rule that keeps
// process.env reads in the env modules fires.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ESLint } from "eslint";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseToolEnv, TOOL_ENV_VARIABLES } from "../scripts/tool-env";
import { EXAMPLE_VAPID_PRIVATE_KEY, EXAMPLE_VAPID_PUBLIC_KEY } from "./development-keys";
import { InvalidEnvironmentError, parseDatabaseUrl, parseServerEnv, SERVER_ENV_VARIABLES } from "./env";

const ROOT = path.resolve(import.meta.dirname, "..");

function refusal(parse: () => unknown): InvalidEnvironmentError {
  try {
    parse();
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error;
    throw error;
  }
  throw new Error("the environment was accepted");
}

describe("parseServerEnv", () => {
  it("names each bad variable and what it accepts, never its value", () => {
    const error = refusal(() =>
      parseServerEnv({
        NODE_ENV: "staging",
        DATABASE_URL: "localhost:5432",
        PORT: "eighty",
        HEARTH_TRUST_PROXY: "yes",
        HEARTH_RATE_LIMIT_SECRET: "c2hvcnQtc2VjcmV0",
      }),
    );
    expect(error.variables.sort()).toEqual(["DATABASE_URL", "HEARTH_RATE_LIMIT_SECRET", "HEARTH_TRUST_PROXY", "NODE_ENV", "PORT"]);
    expect(error.message).toContain("NODE_ENV: must be development, production or test");
    expect(error.message).toContain("DATABASE_URL: must be a postgres:// or postgresql:// connection string");
    expect(error.message).toContain("PORT: must be a port number from 1 to 65535");
    expect(error.message).toContain("HEARTH_TRUST_PROXY: must be 1 or true (on), or 0 or false (off)");
    expect(error.message).toContain("HEARTH_RATE_LIMIT_SECRET: must hold at least 32 bytes");
    expect(error.message).not.toContain("localhost:5432");
    expect(error.message).not.toContain("c2hvcnQtc2VjcmV0");
  });

  it("refuses ports out of range and rate-limit keys that are neither hex nor base64", () => {
    expect(refusal(() => parseServerEnv({ PORT: "65536" })).variables).toEqual(["PORT"]);
    expect(refusal(() => parseServerEnv({ PORT: "0" })).variables).toEqual(["PORT"]);
    expect(refusal(() => parseServerEnv({ HEARTH_RATE_LIMIT_SECRET: "not a key, just words that are long enough" })).message).toContain(
      "HEARTH_RATE_LIMIT_SECRET: must be hex or base64",
    );
  });

  it("refuses the test clock under NODE_ENV=production unless HEARTH_TEST_MODE=1 marks a test server", () => {
    const error = refusal(() => parseServerEnv({ NODE_ENV: "production", HEARTH_TEST_CLOCK: "1" }));
    expect(error.variables).toEqual(["HEARTH_TEST_CLOCK"]);
    expect(error.message).toContain("HEARTH_TEST_CLOCK: is a test-only switch");
    expect(error.message).toContain("HEARTH_TEST_MODE=1");
    expect(refusal(() => parseServerEnv({ NODE_ENV: "production", HEARTH_TEST_CLOCK: "true", HEARTH_TEST_MODE: "0" })).variables).toEqual([
      "HEARTH_TEST_CLOCK",
    ]);

    expect(parseServerEnv({ NODE_ENV: "production", HEARTH_TEST_CLOCK: "1", HEARTH_TEST_MODE: "1" }).HEARTH_TEST_CLOCK).toBe(true);
    expect(parseServerEnv({ NODE_ENV: "development", HEARTH_TEST_CLOCK: "1" }).HEARTH_TEST_CLOCK).toBe(true);
    expect(parseServerEnv({ NODE_ENV: "test", HEARTH_TEST_CLOCK: "1" }).HEARTH_TEST_CLOCK).toBe(true);
    expect(parseServerEnv({ NODE_ENV: "production", HEARTH_TEST_CLOCK: "0" }).HEARTH_TEST_CLOCK).toBe(false);
  });

  it("has the defaults README documents, and reads an empty value as unset", () => {
    const defaults = {
      NODE_ENV: "development",
      HEARTH_DATA_DIR: ".data",
      PORT: 3000,
      HOST: "localhost",
      HEARTH_TRUST_PROXY: false,
      HEARTH_SECURE_COOKIES: false,
      HEARTH_OPERATOR_HANDLES: [],
      HEARTH_PUSH_SERVICE_ORIGINS: [],
      HEARTH_TEST_MODE: false,
      HEARTH_TEST_CLOCK: false,
      HEARTH_STORAGE: "local",
      HEARTH_S3_REGION: "us-east-1",
      HEARTH_S3_FORCE_PATH_STYLE: false,
      HEARTH_APP: "hearth",
    };
    const unset = {
      DATABASE_URL: undefined,
      HEARTH_RATE_LIMIT_SECRET: undefined,
      PRISMA_SCHEMA_ENGINE_BINARY: undefined,
      HEARTH_LOG_FILE: undefined,
      LIVEKIT_URL: undefined,
      LIVEKIT_API_KEY: undefined,
      LIVEKIT_API_SECRET: undefined,
      HEARTH_PUBLIC_ORIGIN: undefined,
      HEARTH_VAPID_PRIVATE_KEY: undefined,
      HEARTH_VAPID_PUBLIC_KEY: undefined,
      HEARTH_VAPID_SUBJECT: undefined,
    };
    const everyVariable = (env: Record<string, unknown>) => Object.fromEntries(SERVER_ENV_VARIABLES.map((name) => [name, env[name]]));
    expect(everyVariable(parseServerEnv({}))).toEqual({ ...defaults, ...unset });
    const empty = Object.fromEntries(SERVER_ENV_VARIABLES.map((name) => [name, ""]));
    expect(everyVariable(parseServerEnv(empty))).toEqual({ ...defaults, ...unset });
    expect(parseToolEnv({})).toEqual({ CHROMIUM_PATH: undefined, HEARTH_E2E_PORT: 3100, HEARTH_E2E_DATA_DIR: path.join(tmpdir(), "hearth-e2e"), CI: false });
  });

  it("takes S3 storage only with a bucket, and its key pair both or neither", () => {
    const s3 = { HEARTH_STORAGE: "s3", HEARTH_S3_BUCKET: "hearth", HEARTH_S3_ENDPOINT: "http://127.0.0.1:8333", HEARTH_S3_FORCE_PATH_STYLE: "1" };
    expect(parseServerEnv(s3)).toMatchObject({ HEARTH_STORAGE: "s3", HEARTH_S3_BUCKET: "hearth", HEARTH_S3_FORCE_PATH_STYLE: true });
    expect(refusal(() => parseServerEnv({ HEARTH_STORAGE: "s3" })).message).toContain("HEARTH_S3_BUCKET: must be set when HEARTH_STORAGE=s3");
    expect(refusal(() => parseServerEnv({ HEARTH_STORAGE: "disk" })).message).toContain("HEARTH_STORAGE: must be local or s3");
    const halfKey = refusal(() => parseServerEnv({ ...s3, HEARTH_S3_SECRET_ACCESS_KEY: "do-not-echo-me" }));
    expect(halfKey.variables).toEqual(["HEARTH_S3_ACCESS_KEY_ID"]);
    expect(halfKey.message).not.toContain("do-not-echo-me");
  });

  it("takes LiveKit's URL and key pair all together or not at all, and never echoes the secret", () => {
    const livekit = { LIVEKIT_URL: "wss://calls.example.org", LIVEKIT_API_KEY: "APIkey123", LIVEKIT_API_SECRET: "s".repeat(32) };
    expect(parseServerEnv(livekit)).toMatchObject(livekit);
    expect(parseServerEnv({ ...livekit, LIVEKIT_URL: "ws://127.0.0.1:7880" }).LIVEKIT_URL).toBe("ws://127.0.0.1:7880");

    const missing = refusal(() => parseServerEnv({ LIVEKIT_URL: livekit.LIVEKIT_URL }));
    expect(missing.variables.sort()).toEqual(["LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"]);
    expect(missing.message).toContain("LIVEKIT_API_KEY: must be set together with LIVEKIT_URL and LIVEKIT_API_SECRET");
    expect(refusal(() => parseServerEnv({ LIVEKIT_API_SECRET: livekit.LIVEKIT_API_SECRET })).variables.sort()).toEqual(["LIVEKIT_API_KEY", "LIVEKIT_URL"]);

    const bad = refusal(() => parseServerEnv({ ...livekit, LIVEKIT_URL: "calls.example.org:7880", LIVEKIT_API_SECRET: "x".repeat(31) }));
    expect(bad.variables.sort()).toEqual(["LIVEKIT_API_SECRET", "LIVEKIT_URL"]);
    expect(bad.message).toContain("LIVEKIT_URL: must be a ws://, wss://, http:// or https:// URL");
    expect(bad.message).toContain("LIVEKIT_API_SECRET: must be at least 32 characters");
    expect(bad.message).not.toContain("x".repeat(31));
    expect(refusal(() => parseServerEnv({ ...livekit, LIVEKIT_URL: "ftp://calls.example.org" })).variables).toEqual(["LIVEKIT_URL"]);
  });

  it("reads values as documented", () => {
    const env = parseServerEnv({
      DATABASE_URL: "postgresql://hearth:pw@db.example:5432/hearth?sslmode=require",
      PORT: "8080",
      HEARTH_TRUST_PROXY: "true",
      HEARTH_OPERATOR_HANDLES: " @Alice, bob ,,",
      HEARTH_RATE_LIMIT_SECRET: "ab".repeat(32),
    });
    expect(env).toMatchObject({ PORT: 8080, HEARTH_TRUST_PROXY: true, HEARTH_OPERATOR_HANDLES: ["alice", "bob"] });
    expect(env.HEARTH_RATE_LIMIT_SECRET).toEqual(new Uint8Array(32).fill(0xab));
    expect(parseServerEnv({ HEARTH_PUBLIC_ORIGIN: "https://Hearth.example:443/" }).HEARTH_PUBLIC_ORIGIN).toBe("https://hearth.example");
    expect(refusal(() => parseServerEnv({ HEARTH_PUBLIC_ORIGIN: "https://hearth.example/app" })).message).toContain(
      "HEARTH_PUBLIC_ORIGIN: must be an origin only",
    );
    expect(refusal(() => parseServerEnv({ HEARTH_PUBLIC_ORIGIN: "hearth.example" })).variables).toEqual(["HEARTH_PUBLIC_ORIGIN"]);
    expect(parseDatabaseUrl({ DATABASE_URL: "postgres://localhost/hearth", NODE_ENV: "staging" })).toBe("postgres://localhost/hearth");
    expect(refusal(() => parseDatabaseUrl({ DATABASE_URL: "mysql://localhost/hearth" })).variables).toEqual(["DATABASE_URL"]);
  });
});

describe("production refuses development keys on a public server", () => {
  const randomHex = (bytes: number) => randomBytes(bytes).toString("hex");
  /** A real deployment: production, reached from beyond this machine, with keys that are random. */
  const publicServer = {
    NODE_ENV: "production",
    HOST: "0.0.0.0",
    LIVEKIT_URL: "wss://calls.example.org",
    LIVEKIT_API_KEY: "APIh7Kq2mZ",
    LIVEKIT_API_SECRET: randomBytes(32).toString("base64url"),
    HEARTH_RATE_LIMIT_SECRET: randomHex(32),
    HEARTH_FRANKING_SECRET: randomBytes(32).toString("base64"),
  };

  it("starts with random keys, and a local production server (npm start on loopback) starts with no keys at all", () => {
    expect(parseServerEnv(publicServer).NODE_ENV).toBe("production");
    expect(parseServerEnv({ NODE_ENV: "production" }).HOST).toBe("localhost");
    expect(parseServerEnv({ NODE_ENV: "production", HOST: "127.0.0.1", HEARTH_PUBLIC_ORIGIN: "http://localhost:3000" }).HOST).toBe("127.0.0.1");
  });

  it("refuses LiveKit's development key pair (devkey/secret), saying how to make a pair", () => {
    const key = refusal(() => parseServerEnv({ ...publicServer, LIVEKIT_API_KEY: "devkey" }));
    expect(key.variables).toEqual(["LIVEKIT_API_KEY"]);
    expect(key.message).toContain("LIVEKIT_API_KEY: is LiveKit's development key");
    expect(key.message).toContain("livekit-server generate-keys");
    // Too short to be a key anywhere: refused in every mode, with the same advice.
    const secret = refusal(() => parseServerEnv({ ...publicServer, LIVEKIT_API_SECRET: "secret" }));
    expect(secret.variables).toEqual(["LIVEKIT_API_SECRET"]);
    expect(secret.message).toContain("LIVEKIT_API_SECRET: must be at least 32 characters: make a pair with `livekit-server generate-keys`");
    const placeholder = refusal(() => parseServerEnv({ ...publicServer, LIVEKIT_API_SECRET: "secret-secret-secret-secret-secret" }));
    expect(placeholder.message).toContain('LIVEKIT_API_SECRET: holds the word "secret"');
    expect(placeholder.message).not.toContain("secret-secret-secret");
  });

  it("refuses placeholder rate-limit and franking secrets (a repeated byte, a pattern, a word), naming each and how to make one", () => {
    const error = refusal(() =>
      parseServerEnv({
        ...publicServer,
        HEARTH_RATE_LIMIT_SECRET: "00".repeat(32),
        HEARTH_FRANKING_SECRET: Buffer.from("changeme".repeat(5)).toString("base64"),
      }),
    );
    expect(error.variables.sort()).toEqual(["HEARTH_FRANKING_SECRET", "HEARTH_RATE_LIMIT_SECRET"]);
    expect(error.message).toContain("HEARTH_RATE_LIMIT_SECRET: repeats a few values: it is a pattern, not a random key");
    expect(error.message).toContain('HEARTH_FRANKING_SECRET: holds the word "changeme"');
    expect(error.message).toContain("make one with `openssl rand -hex 32`");
    const hexDigits = "0123456789abcdef";
    const pattern = refusal(() => parseServerEnv({ ...publicServer, HEARTH_FRANKING_SECRET: hexDigits.repeat(4) }));
    expect(pattern.variables).toEqual(["HEARTH_FRANKING_SECRET"]);
    // A word typed as base64 is caught too, though the key is held decoded.
    const typedWords = "ProductionPasswordForHearth2026xyzQRSTUVWXYZ";
    expect(refusal(() => parseServerEnv({ ...publicServer, HEARTH_RATE_LIMIT_SECRET: typedWords })).message).toContain('holds the word "password"');
  });

  it("refuses the web-push codelab's example VAPID keys and a placeholder VAPID private key, saying how to make a pair", () => {
    const example = refusal(() =>
      parseServerEnv({
        ...publicServer,
        HEARTH_VAPID_PRIVATE_KEY: EXAMPLE_VAPID_PRIVATE_KEY,
        HEARTH_VAPID_PUBLIC_KEY: EXAMPLE_VAPID_PUBLIC_KEY,
      }),
    );
    expect(example.variables.sort()).toEqual(["HEARTH_VAPID_PRIVATE_KEY", "HEARTH_VAPID_PUBLIC_KEY"]);
    expect(example.message).toContain("HEARTH_VAPID_PRIVATE_KEY: is the web-push codelab's example key");
    expect(example.message).toContain("npx web-push generate-vapid-keys");
    expect(example.message).not.toContain("UUxI4O8");
    const zeros = refusal(() => parseServerEnv({ ...publicServer, HEARTH_VAPID_PRIVATE_KEY: Buffer.alloc(32).toString("base64url") }));
    expect(zeros.variables).toEqual(["HEARTH_VAPID_PRIVATE_KEY"]);
    expect(zeros.message).toContain("repeats a few values");
    expect(parseServerEnv({ ...publicServer, HEARTH_VAPID_PRIVATE_KEY: randomBytes(32).toString("base64url") }).NODE_ENV).toBe("production");
  });

  it("refuses too-short secrets in every mode, saying how to make one", () => {
    for (const NODE_ENV of ["production", "development"]) {
      const error = refusal(() => parseServerEnv({ NODE_ENV, HEARTH_FRANKING_SECRET: randomHex(16) }));
      expect(error.variables).toEqual(["HEARTH_FRANKING_SECRET"]);
      expect(error.message).toContain("HEARTH_FRANKING_SECRET: must hold at least 32 bytes (hex or base64): make one with `openssl rand -hex 32`");
    }
  });

  it("counts a loopback server behind a public origin as public, and lets development, tests and loopback servers use any key", () => {
    const behindProxy = { ...publicServer, HOST: "127.0.0.1", HEARTH_PUBLIC_ORIGIN: "https://hearth.example", LIVEKIT_API_KEY: "devkey" };
    expect(refusal(() => parseServerEnv(behindProxy)).variables).toEqual(["LIVEKIT_API_KEY"]);
    expect(refusal(() => parseServerEnv({ ...publicServer, HOST: "hearth.example", LIVEKIT_API_KEY: "devkey" })).variables).toEqual(["LIVEKIT_API_KEY"]);
    const devKeys = { LIVEKIT_API_KEY: "devkey", HEARTH_RATE_LIMIT_SECRET: "00".repeat(32) };
    expect(parseServerEnv({ ...publicServer, ...devKeys, HOST: "localhost" }).LIVEKIT_API_KEY).toBe("devkey");
    expect(parseServerEnv({ ...publicServer, ...devKeys, NODE_ENV: "development" }).LIVEKIT_API_KEY).toBe("devkey");
    expect(parseServerEnv({ ...publicServer, ...devKeys, HEARTH_TEST_MODE: "1" }).LIVEKIT_API_KEY).toBe("devkey");
  });
});

describe("the tools' variables", () => {
  it("are validated like the server's", () => {
    const error = refusal(() => parseToolEnv({ HEARTH_E2E_PORT: "31OO" }));
    expect(error.variables).toEqual(["HEARTH_E2E_PORT"]);
    expect(error.message).toContain("HEARTH_E2E_PORT: must be a port number");
    expect(parseToolEnv({ CI: "true", HEARTH_E2E_PORT: "3200" })).toMatchObject({ CI: true, HEARTH_E2E_PORT: 3200 });
  });
});

describe("start-up", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("Next's start hook refuses a bad variable by name", async () => {
    vi.stubEnv("NEXT_RUNTIME", "nodejs");
    vi.stubEnv("HEARTH_TRUST_PROXY", "maybe");
    vi.resetModules();
    const { register } = await import("../instrumentation");
    await expect(register()).rejects.toThrow(/HEARTH_TRUST_PROXY: must be 1 or true/);
  });
});

describe("README", () => {
  it("documents every variable in its environment tables", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Environment variables"), readme.indexOf("## Other commands"));
    const documented = new Set([...section.matchAll(/^\| `([A-Z0-9_]+)`(?: \/ `([A-Z0-9_]+)`)?/gm)].flatMap((m) => [m[1], m[2]]).filter(Boolean));
    expect([...SERVER_ENV_VARIABLES, ...TOOL_ENV_VARIABLES].filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => ![...SERVER_ENV_VARIABLES, ...TOOL_ENV_VARIABLES].includes(name!))).toEqual([]);
  });
});

describe("the lint rule on process.env", () => {
  const eslint = new ESLint({ cwd: ROOT });
  const messagesOf = async (code: string, file: string) =>
    (await eslint.lintText(code, { filePath: path.join(ROOT, file) }))[0]!.messages.filter((m) => m.ruleId === "no-restricted-syntax");

  it("refuses reads of a variable outside the env modules, in server, client and script code alike", async () => {
    expect(await messagesOf("export const url = process.env.DATABASE_URL;\n", "server/data/example.ts")).toHaveLength(1);
    expect(await messagesOf('export const dev = process.env["NODE_ENV"] === "development";\n', "app/_shared/example.ts")).toHaveLength(1);
    expect(await messagesOf("export const port = Number(process.env.PORT ?? 3000);\n", "scripts/example.ts")).toHaveLength(1);
  });

  it("allows setting variables and handing the environment to a child process", async () => {
    const code =
      'process.env.HEARTH_TEST_CLOCK = "1";\nObject.assign(process.env, { NODE_ENV: "production" });\nexport const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };\n';
    expect(await messagesOf(code, "scripts/example.ts")).toEqual([]);
  });
}, 30_000);
