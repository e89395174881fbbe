// Server configuration: every environment variable the server process reads (scripts/start.ts,
// Next's server, proxy.ts, instrumentation.ts), validated by one schema. scripts/start.ts and
// instrumentation.ts parse it at start-up, so a bad value stops the server with the variable's name
// and what it accepts. Code reads serverEnv(), never process.env (an ESLint rule refuses it).
// Every variable is documented in README.md (env.test.ts checks the tables name them all).
//
// Test-only switches let a request steer the server (with HEARTH_TEST_CLOCK a header sets the
// time), so under NODE_ENV=production they are refused unless HEARTH_TEST_MODE=1 marks a throwaway
// test server; only the browser tests' server (playwright.config.ts) sets it.
import { z } from "zod";
import { developmentKeyIssues, HOW_TO_MAKE_A_SECRET, HOW_TO_MAKE_LIVEKIT_KEYS, servesBeyondThisMachine } from "./development-keys";

/** Unset and empty mean the same (`VAR=` in a shell unsets nothing but says "no value"). */
function unsetIfEmpty<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === "" ? undefined : value), schema);
}

/** An on/off switch: 1 or true, 0 or false; off when unset. */
export function envFlag() {
  return unsetIfEmpty(z.enum(["1", "true", "0", "false"], { error: "must be 1 or true (on), or 0 or false (off)" }).optional()).transform(
    (value) => value === "1" || value === "true",
  );
}

export function envPort(fallback: number) {
  const error = "must be a port number from 1 to 65535";
  return unsetIfEmpty(z.string().regex(/^\d+$/, { error }).transform(Number).pipe(z.number().int().min(1, { error }).max(65535, { error })).default(fallback));
}

/** A server key: 32 or more bytes as hex or base64; unset when empty. */
export function envSecret() {
  return envText().transform((value, ctx) => {
    if (!value) return undefined;
    const hex = /^[0-9a-fA-F]+$/.test(value) && value.length % 2 === 0;
    if (!hex && !/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
      ctx.addIssue({ code: "custom", message: "must be hex or base64" });
      return z.NEVER;
    }
    const bytes = Buffer.from(value, hex ? "hex" : "base64");
    if (bytes.length < 32) {
      ctx.addIssue({ code: "custom", message: `must hold at least 32 bytes (hex or base64): ${HOW_TO_MAKE_A_SECRET}` });
      return z.NEVER;
    }
    return new Uint8Array(bytes);
  });
}

/** Free text (a path, a host name); unset when empty. */
export function envText() {
  return unsetIfEmpty(z.string().optional());
}

export function envTextOr(fallback: string) {
  return unsetIfEmpty(z.string().default(fallback));
}

/** Switches that let a request change what the server does; never on in a deployment. */
export const TEST_ONLY_SWITCHES = ["HEARTH_TEST_CLOCK"] as const;

const ZServerEnvFieldsSchema = z.object({
  NODE_ENV: unsetIfEmpty(z.enum(["development", "production", "test"], { error: "must be development, production or test" }).default("development")),
  /** Unset: scripts/start.ts starts the embedded PostgreSQL and sets it. */
  DATABASE_URL: unsetIfEmpty(z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// connection string" }).optional()),
  HEARTH_DATA_DIR: envTextOr(".data"),
  /** What this deployment serves (server/hearth-app.ts): `hearth`, the whole site, or `chat`, Hearth Chat on its own. */
  HEARTH_APP: unsetIfEmpty(z.enum(["hearth", "chat"], { error: "must be hearth (the whole site) or chat (Hearth Chat on its own)" }).default("hearth")),
  /** Where scripts/start.ts listens. */
  PORT: envPort(3000),
  HOST: envTextOr("localhost"),
  /**
   * The origin people reach Hearth at (scheme, host and port; no path), e.g. https://hearth.example.
   * Passkeys are bound to it and mails link to it, so it is configured, never read from a request.
   * Unset: http://<HOST>:<PORT>, right for a local run.
   */
  HEARTH_PUBLIC_ORIGIN: unsetIfEmpty(
    z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// origin such as https://hearth.example" })
      .refine(
        (value) => {
          if (!URL.canParse(value)) return true; // z.url has said why
          const url = new URL(value);
          return url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
        },
        { error: "must be an origin only: scheme, host and port, no path" },
      )
      .transform((value) => (URL.canParse(value) ? new URL(value).origin : value))
      .optional(),
  ),
  /** Behind a reverse proxy, take the client address from the last X-Forwarded-For hop. */
  HEARTH_TRUST_PROXY: envFlag(),
  /** Send the Secure cookie attribute even outside production (e.g. a TLS staging host); HSTS comes with production builds (next.config.mjs). */
  HEARTH_SECURE_COOKIES: envFlag(),
  /**
   * The key of the MAC that turns rate-limit subjects (account ids, emails, addresses) into stored
   * keys: 32 or more bytes as hex or base64. Unset: made once in <HEARTH_DATA_DIR>/rate-limit-secret
   * (random per process under tests). It is never stored in the database.
   */
  HEARTH_RATE_LIMIT_SECRET: envSecret(),
  /**
   * The key the server binds message-franking commitments with (docs/e2ee-protocol.md, "Message
   * franking"): 32 or more bytes as hex or base64. Unset: made once in
   * <HEARTH_DATA_DIR>/franking-secret (random per process under tests). Never stored in the
   * database; changing it makes every message delivered before unverifiable when reported.
   */
  HEARTH_FRANKING_SECRET: envSecret(),
  /**
   * The VAPID key pair that signs chat wake-ups to browsers' push services (RFC 8292), base64url as
   * `web-push generate-vapid-keys` prints them: the private key alone is enough (the public one is
   * derived, and must match when also set). Unset: a private key is made once in
   * <HEARTH_DATA_DIR>/vapid-private-key (random per process under tests). Changing it invalidates
   * every device's push subscription until the person opens Hearth on it again.
   */
  HEARTH_VAPID_PRIVATE_KEY: unsetIfEmpty(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, { error: "must be a 32-byte P-256 private key, base64url" })
      .optional(),
  ),
  HEARTH_VAPID_PUBLIC_KEY: unsetIfEmpty(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{87}$/, { error: "must be a 65-byte P-256 public key, base64url" })
      .optional(),
  ),
  /** Who push services contact about Hearth's wake-ups: an https: URL or a mailto: address. Unset: HEARTH_PUBLIC_ORIGIN when https, else mailto:push@<its host>. */
  HEARTH_VAPID_SUBJECT: unsetIfEmpty(
    z
      .string()
      .regex(/^(https:\/\/|mailto:)\S+$/, { error: "must be an https: URL or a mailto: address" })
      .optional(),
  ),
  /**
   * Origins (comma-separated) of push services besides the browser vendors' (FCM, Mozilla, Apple,
   * Windows) that devices may subscribe with: a UnifiedPush distributor, or the tests' fake push
   * service. The server sends wake-ups to no other origin.
   */
  HEARTH_PUSH_SERVICE_ORIGINS: envText().transform((value, ctx) => {
    const origins = (value ?? "")
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean);
    for (const origin of origins) {
      if (!URL.canParse(origin) || !/^https?:$/.test(new URL(origin).protocol) || new URL(origin).origin !== origin.replace(/\/$/, "")) {
        ctx.addIssue({ code: "custom", message: `must list origins such as https://push.example, not ${origin}` });
        return z.NEVER;
      }
    }
    return origins.map((o) => new URL(o).origin);
  }),
  /** Handles (comma-separated) allowed to see the operator pages; none by default. */
  HEARTH_OPERATOR_HANDLES: envText().transform((value) =>
    (value ?? "")
      .split(",")
      .map((h) => h.trim().replace(/^@/, "").toLowerCase())
      .filter(Boolean),
  ),
  /** Prisma's native schema engine; where it exists, migrations run through `prisma migrate deploy`. */
  PRISMA_SCHEMA_ENGINE_BINARY: envText(),
  /** scripts/start.ts also appends everything the server prints to this file. */
  HEARTH_LOG_FILE: envText(),
  /**
   * The LiveKit server that carries calls, as browsers reach it (ws:// or wss://; http(s):// also
   * works), with its API key pair: all three or none. Unset: scripts/start.ts starts a local LiveKit
   * when it finds one and sets them; otherwise calls are off and say so.
   */
  LIVEKIT_URL: unsetIfEmpty(z.url({ protocol: /^(wss?|https?)$/, error: "must be a ws://, wss://, http:// or https:// URL" }).optional()),
  LIVEKIT_API_KEY: envText(),
  /** Signs call tokens (HS256) and checks LiveKit's webhooks. */
  LIVEKIT_API_SECRET: unsetIfEmpty(
    z
      .string()
      .min(32, { error: `must be at least 32 characters: ${HOW_TO_MAKE_LIVEKIT_KEYS}` })
      .optional(),
  ),
  /**
   * Outgoing mail (verification, password reset, notices): smtp:// or smtps:// with the user and
   * password in the URL if the server needs them. Unset: `npm start` and `npm run dev` run a local
   * mail catcher on loopback when HOST is loopback (scripts/mail/); otherwise mail is off and the
   * features that need it say so.
   */
  HEARTH_SMTP_URL: unsetIfEmpty(z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional()),
  /** The sender of Hearth's mails, e.g. `Hearth <no-reply@example.org>`; needed with HEARTH_SMTP_URL. */
  HEARTH_MAIL_FROM: envText(),
  /**
   * Where media (post images, stories, avatars), chat attachment blobs and data exports are kept:
   * `local` (<HEARTH_DATA_DIR>, one instance or a shared disk) or `s3` (any S3-compatible store, so
   * that several instances share them; the HEARTH_S3_* variables say which).
   */
  HEARTH_STORAGE: unsetIfEmpty(z.enum(["local", "s3"], { error: "must be local or s3" }).default("local")),
  /** The S3 API's address (e.g. http://127.0.0.1:8333); unset: AWS S3 itself for HEARTH_S3_REGION. */
  HEARTH_S3_ENDPOINT: unsetIfEmpty(z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional()),
  HEARTH_S3_BUCKET: envText(),
  HEARTH_S3_REGION: envTextOr("us-east-1"),
  HEARTH_S3_ACCESS_KEY_ID: envText(),
  HEARTH_S3_SECRET_ACCESS_KEY: envText(),
  /** Address buckets as <endpoint>/<bucket> rather than <bucket>.<endpoint>: most self-hosted stores want it. */
  HEARTH_S3_FORCE_PATH_STYLE: envFlag(),
  /** Marks a throwaway test server: test-only switches are then honoured in production builds too. */
  HEARTH_TEST_MODE: envFlag(),
  /** Test-only: requests may set the time they act at with an x-hearth-test-now header. */
  HEARTH_TEST_CLOCK: envFlag(),
});

/** Every variable the server reads. */
export const SERVER_ENV_VARIABLES = Object.keys(ZServerEnvFieldsSchema.shape);

/** Variables that mean nothing alone: all of a group are set, or none. */
const SET_TOGETHER = [
  ["LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"],
  ["HEARTH_S3_ACCESS_KEY_ID", "HEARTH_S3_SECRET_ACCESS_KEY"],
] as const;

const ZServerEnvSchema = ZServerEnvFieldsSchema.superRefine((env, ctx) => {
  for (const group of SET_TOGETHER) {
    if (group.every((name) => env[name] === undefined) || group.every((name) => env[name] !== undefined)) continue;
    for (const name of group.filter((n) => env[n] === undefined)) {
      ctx.addIssue({ code: "custom", path: [name], message: `must be set together with ${group.filter((n) => n !== name).join(" and ")} (all or none)` });
    }
  }
  if (env.HEARTH_STORAGE === "s3" && !env.HEARTH_S3_BUCKET) {
    ctx.addIssue({ code: "custom", path: ["HEARTH_S3_BUCKET"], message: "must be set when HEARTH_STORAGE=s3 (the bucket media is kept in)" });
  }
  if (env.HEARTH_SMTP_URL) {
    for (const name of ["HEARTH_MAIL_FROM", "HEARTH_PUBLIC_ORIGIN"] as const) {
      if (!env[name]) ctx.addIssue({ code: "custom", path: [name], message: "must be set when HEARTH_SMTP_URL is (mails need a sender and links)" });
    }
  }
  if (env.NODE_ENV !== "production" || env.HEARTH_TEST_MODE) return;
  if (servesBeyondThisMachine(env)) {
    for (const { variable, message } of developmentKeyIssues(env)) ctx.addIssue({ code: "custom", path: [variable], message });
  }
  for (const name of TEST_ONLY_SWITCHES) {
    if (env[name]) {
      ctx.addIssue({
        code: "custom",
        path: [name],
        message: "is a test-only switch, refused when NODE_ENV=production unless HEARTH_TEST_MODE=1 marks a test server: unset it",
      });
    }
  }
});

export type ServerEnv = z.infer<typeof ZServerEnvSchema>;

export class InvalidEnvironmentError extends Error {
  constructor(
    readonly variables: string[],
    message: string,
  ) {
    super(message);
    this.name = "InvalidEnvironmentError";
  }
}

/**
 * Parses an environment with a schema of variables.
 * @throws InvalidEnvironmentError naming each bad variable and what it accepts (never its value,
 * which may be a password or a key).
 */
export function parseEnv<S extends z.ZodType>(schema: S, source: Record<string, string | undefined>): z.output<S> {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  const variables = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? "(environment)")))];
  const lines = parsed.error.issues.map((issue) => `  ${String(issue.path[0] ?? "(environment)")}: ${issue.message}`);
  throw new InvalidEnvironmentError(
    variables,
    `Invalid environment variable${variables.length > 1 ? "s" : ""}:\n${lines.join("\n")}\n(README.md lists every variable and what it accepts.)`,
  );
}

/**
 * Only DATABASE_URL, for Prisma's CLI (prisma.config.ts), which needs nothing else of the server's
 * configuration and also runs on `npm install`.
 * @throws InvalidEnvironmentError
 */
export function parseDatabaseUrl(source: Record<string, string | undefined>): string | undefined {
  return parseEnv(ZServerEnvFieldsSchema.pick({ DATABASE_URL: true }), source).DATABASE_URL;
}

/**
 * Parses the given environment now, uncached: for scripts that set variables (DATABASE_URL) after
 * reading them, before the server code reads serverEnv().
 * @throws InvalidEnvironmentError
 */
export function parseServerEnv(source: Record<string, string | undefined>): ServerEnv {
  return parseEnv(ZServerEnvSchema, source);
}

let cached: ServerEnv | undefined;

/**
 * The server's configuration, parsed from process.env on first use and then kept.
 * @throws InvalidEnvironmentError
 */
export function serverEnv(): ServerEnv {
  cached ??= parseServerEnv(process.env);
  return cached;
}

/** Drops the kept configuration, so the next serverEnv() reads process.env as it is now (for the run command, which sets variables as it starts services). */
export function forgetServerEnv(): void {
  cached = undefined;
}

export function isProduction(): boolean {
  return serverEnv().NODE_ENV === "production";
}

/** The configured public origin (HEARTH_PUBLIC_ORIGIN), or this server's own address for a local run. */
export function publicOrigin(): string {
  const env = serverEnv();
  return env.HEARTH_PUBLIC_ORIGIN ?? new URL(`http://${env.HOST}:${env.PORT}`).origin;
}

/** Whether cookies carry `Secure`. */
export function secureTransportEnabled(): boolean {
  return isProduction() || serverEnv().HEARTH_SECURE_COOKIES;
}
