// `npm start`: builds Hearth if the build is missing or older than the sources, starts the embedded
// PostgreSQL unless DATABASE_URL is set, applies pending migrations (and, on an empty database,
// offers a demo world when run at a terminal), then serves on PORT (3000).
// `--dev` serves with hot reload instead of a production build.
//
// Hearth runs Next through this small server so that the client address used for rate limits
// comes from the socket (or a trusted proxy), never from a header a client could forge.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { CLIENT_IP_HEADER, clientIpOf } from "../server/auth/client-ip";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../server/data/embedded/start-embedded-postgres";
import { migrateDatabase } from "../server/data/migrations/migrate-database";
import { offerDemoWorld } from "../prisma/seed/offer-demo-world";
import { teeOutputTo } from "./tee-output";

const dev = process.argv.includes("--dev");
const skipBuild = process.argv.includes("--no-build");
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "localhost";
const dataDir = path.resolve(process.env.HEARTH_DATA_DIR ?? ".data");
const trustProxy = ["1", "true"].includes(process.env.HEARTH_TRUST_PROXY ?? "");
const log = (line: string) => console.log(`[hearth] ${line}`);
teeOutputTo(process.env.HEARTH_LOG_FILE);

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
  if (!dev && !skipBuild) buildIfStale();

  let embedded: EmbeddedDatabase | undefined;
  if (!process.env.DATABASE_URL) {
    log(`Starting the embedded PostgreSQL (data in ${path.relative(process.cwd(), dataDir) || "."})…`);
    embedded = await startEmbeddedPostgres({ dataDir, databaseName: "hearth", port: 54329 });
    process.env.DATABASE_URL = embedded.url;
  }
  await migrateDatabase({ databaseUrl: process.env.DATABASE_URL!, log });
  // An empty database: offer a demo world at a terminal; otherwise one line pointing to `npm run seed`.
  await offerDemoWorld({ databaseUrl: process.env.DATABASE_URL!, mediaDir: path.join(dataDir, "media"), log });

  const { default: next } = await import("next");
  const app = next({ dev, dir: process.cwd(), hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = clientIpOf(req, trustProxy);
    void handle(req, res);
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
    await embedded?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(`[hearth] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
