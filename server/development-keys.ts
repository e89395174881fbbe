// Keys that are fine on a laptop and fatal on the internet: LiveKit's published development pair
// (`livekit-server --dev` signs with devkey/secret, so anyone could mint call tokens and forge its
// webhooks) and placeholder server secrets (a repeated byte, a pattern, a word like "changeme"),
// which a guess opens. server/env.ts refuses them when NODE_ENV=production serves people beyond
// this machine, naming the variable and how to make a real key. A local `npm start` (loopback
// only, no public origin) never needs any of them: unset secrets are made at random on first use.

/** LiveKit's development key pair, as `livekit-server --dev` and its docs use it. */
const LIVEKIT_DEVELOPMENT_KEY = "devkey";
const LIVEKIT_DEVELOPMENT_SECRET = "secret";

/** The example VAPID pair of Google's web-push codelab, copied into many tutorials: anyone holds its private key. */
export const EXAMPLE_VAPID_PRIVATE_KEY = "UUxI4O8-FbRouAevSmBQ6o18hgE4nSG3qwvJTfKc-ls";
export const EXAMPLE_VAPID_PUBLIC_KEY = "BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U";

/** Words that mark a value someone meant to replace; long enough that a random key holds none by chance. */
const PLACEHOLDER_WORDS = ["changeme", "change-me", "change_me", "replaceme", "placeholder", "example", "secret", "devkey", "development", "password"];

/** 32 random bytes hold about 30 distinct values; fewer than this means a pattern, not a key. */
const MIN_DISTINCT_BYTES = 16;

const LOOPBACK_HOSTS = new Set(["localhost", "::1", "[::1]"]);

export const HOW_TO_MAKE_A_SECRET = "make one with `openssl rand -hex 32`";
export const HOW_TO_MAKE_VAPID_KEYS = "make a pair with `npx web-push generate-vapid-keys` (or leave both unset to have one made in the data directory)";
export const HOW_TO_MAKE_LIVEKIT_KEYS =
  "make a pair with `livekit-server generate-keys` (or a key name of your own and `openssl rand -base64 32` as the secret)";

export function isLoopbackHost(host: string): boolean {
  const bare = host.toLowerCase();
  return LOOPBACK_HOSTS.has(bare) || /^127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * Whether people beyond this machine can reach the server: it listens on a public address, or a
 * reverse proxy brings them in from a public origin (while the server itself listens on loopback).
 */
export function servesBeyondThisMachine(env: { HOST: string; HEARTH_PUBLIC_ORIGIN?: string | undefined }): boolean {
  if (!isLoopbackHost(env.HOST)) return true;
  return env.HEARTH_PUBLIC_ORIGIN !== undefined && URL.canParse(env.HEARTH_PUBLIC_ORIGIN) && !isLoopbackHost(new URL(env.HEARTH_PUBLIC_ORIGIN).hostname);
}

/** Why a key is a placeholder rather than a random one, or null. Never includes the key. */
export function placeholderReason(key: Uint8Array | string): string | null {
  // A key given as base64 (or hex) is held decoded: look for the words in what was typed as well.
  const texts = typeof key === "string" ? [key] : [Buffer.from(key).toString("latin1"), Buffer.from(key).toString("base64")];
  const word = PLACEHOLDER_WORDS.find((w) => texts.some((text) => text.toLowerCase().includes(w)));
  if (word) return `holds the word "${word}": it is a placeholder, not a random key`;
  const bytes = typeof key === "string" ? Buffer.from(key, "utf8") : key;
  if (new Set(bytes).size < MIN_DISTINCT_BYTES) return "repeats a few values: it is a pattern, not a random key";
  return null;
}

export interface DevelopmentKeyEnv {
  LIVEKIT_API_KEY?: string | undefined;
  LIVEKIT_API_SECRET?: string | undefined;
  HEARTH_RATE_LIMIT_SECRET?: Uint8Array | undefined;
  HEARTH_FRANKING_SECRET?: Uint8Array | undefined;
  HEARTH_VAPID_PRIVATE_KEY?: string | undefined;
  HEARTH_VAPID_PUBLIC_KEY?: string | undefined;
}

/** Each development or placeholder key in `env`, by variable, with how to make a real one. */
export function developmentKeyIssues(env: DevelopmentKeyEnv): { variable: string; message: string }[] {
  const issues: { variable: string; message: string }[] = [];
  if (env.LIVEKIT_API_KEY === LIVEKIT_DEVELOPMENT_KEY) {
    issues.push({
      variable: "LIVEKIT_API_KEY",
      message: `is LiveKit's development key (livekit-server --dev), refused on a public server: ${HOW_TO_MAKE_LIVEKIT_KEYS}`,
    });
  }
  if (env.LIVEKIT_API_SECRET !== undefined) {
    const reason =
      env.LIVEKIT_API_SECRET === LIVEKIT_DEVELOPMENT_SECRET
        ? "is LiveKit's development secret (livekit-server --dev)"
        : placeholderReason(env.LIVEKIT_API_SECRET);
    if (reason) issues.push({ variable: "LIVEKIT_API_SECRET", message: `${reason}, refused on a public server: ${HOW_TO_MAKE_LIVEKIT_KEYS}` });
  }
  for (const variable of ["HEARTH_RATE_LIMIT_SECRET", "HEARTH_FRANKING_SECRET"] as const) {
    const key = env[variable];
    const reason = key && placeholderReason(key);
    if (reason)
      issues.push({
        variable,
        message: `${reason}, refused on a public server: ${HOW_TO_MAKE_A_SECRET} (or leave it unset to have one made in the data directory)`,
      });
  }
  const vapidPrivate = env.HEARTH_VAPID_PRIVATE_KEY;
  if (vapidPrivate !== undefined) {
    const reason =
      vapidPrivate === EXAMPLE_VAPID_PRIVATE_KEY
        ? "is the web-push codelab's example key, which anyone holds"
        : placeholderReason(Buffer.from(vapidPrivate, "base64url"));
    if (reason) issues.push({ variable: "HEARTH_VAPID_PRIVATE_KEY", message: `${reason}, refused on a public server: ${HOW_TO_MAKE_VAPID_KEYS}` });
  }
  if (env.HEARTH_VAPID_PUBLIC_KEY === EXAMPLE_VAPID_PUBLIC_KEY) {
    issues.push({
      variable: "HEARTH_VAPID_PUBLIC_KEY",
      message: `is the web-push codelab's example key, refused on a public server: ${HOW_TO_MAKE_VAPID_KEYS}`,
    });
  }
  return issues;
}
