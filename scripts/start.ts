// `npm start`: builds Hearth if the build is missing or older than the sources, starts the embedded
// PostgreSQL unless DATABASE_URL is set, applies pending migrations (and, on an empty database,
// offers a demo world when run at a terminal), then serves on PORT (3000).
// `--dev` serves with hot reload instead of a production build. The environment is validated
// first (server/env.ts): a bad variable stops here, naming it. `npm start` never sets
// HEARTH_TEST_MODE; only the browser tests' server does (playwright.config.ts). Unless LIVEKIT_URL
// names a LiveKit server for calls, a local one is started beside the app when there is one
// (scripts/livekit/livekit-beside-app.ts), and stopped with it. Unless HEARTH_SMTP_URL names a mail
// server, a local mail catcher (scripts/mail/mail-catcher.ts) takes Hearth's mails into
// <HEARTH_DATA_DIR>/mail when Hearth listens on loopback only; on a public HOST mail stays off.
//
// Hearth runs Next through this small server so that the client address used for rate limits
// comes from the socket (or a trusted proxy), never from a header a client could forge. In
// production it answers /api/trpc itself, through the same handler, without Next's routing
// (scripts/serve-trpc.ts): that routing cost more CPU than a home-timeline page's own work. The
// same server cuts off clients that send too slowly (slow-loris), whatever route they call.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { CLIENT_IP_HEADER, clientIpOf } from "../server/auth/client-ip";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../server/data/embedded/start-embedded-postgres";
import { migrateDatabase } from "../server/data/migrations/migrate-database";
import { createGuardedServer } from "../server/http/request-deadlines";
import { parseServerEnv, TEST_ONLY_SWITCHES } from "../server/env";
import { offerDemoWorld } from "../prisma/seed/offer-demo-world";
import { startLivekitBesideApp } from "./livekit/livekit-beside-app";
import { startMailCatcher, type MailCatcher } from "./mail/mail-catcher";
import { loadTrpcHandler, TRPC_PATH_PREFIX } from "./serve-trpc";
import type { LocalLivekit } from "./livekit/start-livekit";
import { teeOutputTo } from "./tee-output";
import { toolEnv } from "./tool-env";

const dev = process.argv.includes("--dev");
const skipBuild = process.argv.includes("--no-build");
const log = (line: string) => console.log(`[hearth] ${line}`);

const SOURCES = ["app", "server", "prisma", "public", "proxy.ts", "next.config.mjs", "package-lock.json"];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry)
    .filter((name) => name !== "generated")
    .reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

function buildIfStale(): void {
  const buildId = path.join(".next", "BUILD_ID");
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (builtAt > Math.max(...SOURCES.map(newestMtime))) return;
  log(builtAt ? "Sources changed since the last build; rebuilding…" : "Building Hearth (first run only)…");
  const build = spawnSync("npx", ["--no-install", "next", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (build.status !== 0) throw new Error("The build failed (see above).");
}

async function main(): Promise<void> {
  // Hearth makes no third-party requests, and that includes Next's build telemetry.
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  // Next decides its mode from NODE_ENV, which its types mark read-only.
  Object.assign(process.env, { NODE_ENV: dev ? "development" : "production" });
  // The environment Next will see, checked before anything is built or started.
  const env = parseServerEnv(process.env);
  const { PORT: port, HOST: hostname } = env;
  const dataDir = path.resolve(env.HEARTH_DATA_DIR);
  teeOutputTo(env.HEARTH_LOG_FILE);
  if (env.HEARTH_TEST_MODE) {
    const on = TEST_ONLY_SWITCHES.filter((name) => env[name]);
    log(`TEST MODE (HEARTH_TEST_MODE=1): test-only switches are honoured (${on.join(", ") || "none set"}). Never serve people like this.`);
  }
  if (!dev && !skipBuild) buildIfStale();

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    log(`Starting the embedded PostgreSQL (data in ${path.relative(process.cwd(), dataDir) || "."})…`);
    embedded = await startEmbeddedPostgres({ dataDir, databaseName: "hearth", port: 54329 });
    databaseUrl = embedded.url;
    // For Next's server in this process, which reads it through server/env.ts.
    process.env.DATABASE_URL = databaseUrl;
  }
  await migrateDatabase({ databaseUrl, log });
  // An empty database: offer a demo world at a terminal; otherwise one line pointing to `npm run seed`.
  await offerDemoWorld({ databaseUrl, mediaDir: path.join(dataDir, "media"), log });

  let livekit: LocalLivekit | null = null;
  if (env.LIVEKIT_URL) {
    log(`Calls go through the LiveKit server at ${env.LIVEKIT_URL}.`);
  } else {
    // LiveKit posts its webhooks to this server; a wildcard address is reached on loopback.
    const appHost = hostname === "0.0.0.0" || hostname === "::" ? "127.0.0.1" : hostname;
    const webhookUrl = `http://${appHost.includes(":") ? `[${appHost}]` : appHost}:${port}/api/calls/webhook`;
    livekit = await startLivekitBesideApp({ dataDir, webhookUrl, required: toolEnv().CI, log: (line) => log(`[calls] ${line}`) });
    // For Next's server in this process, which reads them through server/env.ts.
    if (livekit) Object.assign(process.env, { LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: livekit.apiKey, LIVEKIT_API_SECRET: livekit.apiSecret });
  }

  const mailCatcher = await startMailIfLocal(env, dataDir);

  const { default: next } = await import("next");
  const app = next({ dev, dir: process.cwd(), hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();

  // Hot reload needs Next's own route handling; in production this process answers tRPC itself.
  const handleTrpc = dev ? null : await loadTrpcHandler({ production: true });

  // Clients that send their headers or body too slowly are answered 408 and cut off (server/http/request-deadlines.ts).
  const server = createGuardedServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = clientIpOf(req, env.HEARTH_TRUST_PROXY);
    if (handleTrpc && req.url?.startsWith(TRPC_PATH_PREFIX)) void handleTrpc(req, res);
    else void handle(req, res);
  });
  server.listen(port, hostname, () => log(`Hearth is running at http://${hostname}:${port}`));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down…`);
    server.close();
    server.closeAllConnections();
    await app.close?.();
    await livekit?.stop();
    await mailCatcher?.stop();
    await embedded?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "::1"]);

/** Starts the local mail catcher when no SMTP server is configured and only this machine can reach Hearth. */
async function startMailIfLocal(env: ReturnType<typeof parseServerEnv>, dataDir: string): Promise<MailCatcher | null> {
  if (env.HEARTH_SMTP_URL) {
    log(`Mail goes out through ${new URL(env.HEARTH_SMTP_URL).host}.`);
    return null;
  }
  if (!LOOPBACK_HOSTS.has(env.HOST)) {
    log("Mail is off (no HEARTH_SMTP_URL): password reset and address verification say so. See README, Mail.");
    return null;
  }
  const dir = path.join(dataDir, "mail");
  // A test server prints no links: they hold tokens, and the browser tests scan the log for tokens.
  const catcher = await startMailCatcher({ dir, printLinks: !env.HEARTH_TEST_MODE, log: (line) => log(`[mail] ${line}`) });
  // For Next's server in this process, which reads them through server/env.ts; mail links go to this server unless told otherwise.
  Object.assign(process.env, {
    HEARTH_SMTP_URL: catcher.url,
    HEARTH_MAIL_FROM: env.HEARTH_MAIL_FROM ?? "Hearth <no-reply@localhost>",
    HEARTH_PUBLIC_ORIGIN: env.HEARTH_PUBLIC_ORIGIN ?? new URL(`http://${env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST}:${env.PORT}`).origin,
  });
  log(`Mail stays on this machine: the local mail catcher keeps it in ${path.relative(process.cwd(), dir) || dir} and prints its links here.`);
  return catcher;
}

main().catch((error: unknown) => {
  console.error(`[hearth] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
