// Starts a LiveKit server for development and tests, on loopback only: its HTTP and WebSocket port
// (7880, or a free one when that is taken) and its media on UDP, all on 127.0.0.1. The API key pair
// is made once per data folder and kept there (mode 0600; the folder is git-ignored); the config,
// which holds the secret, is written beside it with the same mode rather than passed on the command
// line, where any local user could read it. LiveKit's own log goes to a file in the same folder.
//
// Rooms are never created by joining (room.auto_create off): only Hearth's server creates them,
// with a participant cap and an empty timeout (server/calls).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { freePort } from "../free-port";

export interface LocalLivekit {
  /** What the browser and LIVEKIT_URL use: ws://127.0.0.1:<port>. */
  url: string;
  apiKey: string;
  apiSecret: string;
  port: number;
  /** Where LiveKit's output goes. */
  logFile: string;
  /** Stops the server (at once, even with people in a room) and waits for it to exit. */
  stop(): Promise<void>;
}

export interface StartLivekitOptions {
  /** The binary to run (scripts/livekit/find-livekit.ts). */
  binary: string;
  /** The key pair, config and log live in <dataDir>/livekit. */
  dataDir: string;
  /** Hearth's webhook endpoint, e.g. http://localhost:3000/api/calls/webhook; no webhooks when absent. */
  webhookUrl?: string;
  /** The HTTP port to prefer; a free one is used when it is taken. Default 7880. */
  port?: number;
  log?: (line: string) => void;
}

const LOOPBACK = "127.0.0.1";
/** UDP ports for media: enough for a few dozen participants, on loopback. */
const MEDIA_PORTS = { start: 50_000, end: 50_100 };
/** Seconds a created room waits for its first participant, and stays after its last one left. */
const ROOM_EMPTY_TIMEOUT_SECONDS = 60;
const ROOM_DEPARTURE_TIMEOUT_SECONDS = 20;
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

interface KeyPair {
  apiKey: string;
  apiSecret: string;
}

/** The folder's development key pair, made on first use. */
function developmentKeyPair(folder: string): KeyPair {
  const file = path.join(folder, "dev-keys.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as KeyPair;
  // LiveKit warns about secrets under 32 characters; this one has 43.
  const keys: KeyPair = { apiKey: `hearth-dev-${randomBytes(6).toString("hex")}`, apiSecret: randomBytes(32).toString("base64url") };
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600, flag: "wx" });
  return keys;
}

/** LiveKit's configuration. JSON is YAML, so no YAML writer is needed. */
function livekitConfig(port: number, keys: KeyPair, webhookUrl: string | undefined): string {
  return JSON.stringify(
    {
      port,
      bind_addresses: [LOOPBACK],
      rtc: {
        node_ip: LOOPBACK,
        use_external_ip: false,
        enable_loopback_candidate: true,
        // Only loopback addresses become ICE candidates, so media sockets bind nowhere else.
        ips: { includes: [`${LOOPBACK}/32`] },
        port_range_start: MEDIA_PORTS.start,
        port_range_end: MEDIA_PORTS.end,
        // ICE over TCP is a fallback for networks that block UDP, and LiveKit would listen for it on
        // every interface; on loopback UDP always works, so it stays off (0).
        tcp_port: 0,
      },
      keys: { [keys.apiKey]: keys.apiSecret },
      room: { auto_create: false, empty_timeout: ROOM_EMPTY_TIMEOUT_SECONDS, departure_timeout: ROOM_DEPARTURE_TIMEOUT_SECONDS },
      ...(webhookUrl && { webhook: { api_key: keys.apiKey, urls: [webhookUrl] } }),
      logging: { level: "info" },
    },
    null,
    2,
  );
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, LOOPBACK, () => probe.close(() => resolve(true)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", () => resolve()));
}

function tailOf(file: string, lines = 15): string {
  return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

/** Waits until LiveKit answers GET / with 200 "OK". @throws Error when it exits first or takes too long */
async function waitUntilAnswering(child: ChildProcess, port: number, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let gone = false;
  void exited(child).then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`The LiveKit server exited at start (code ${child.exitCode}). The end of ${logFile}:\n${tailOf(logFile)}`);
    const answer = await fetch(`http://${LOOPBACK}:${port}/`, { signal: AbortSignal.timeout(1_000) }).catch(() => null);
    if (answer?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The LiveKit server did not answer on port ${port} within ${READY_TIMEOUT_MS / 1000} s. The end of ${logFile}:\n${tailOf(logFile)}`);
}

/**
 * Starts LiveKit and resolves once it answers.
 * @throws Error when it cannot start or does not answer in time (it is stopped then)
 */
export async function startLivekit(options: StartLivekitOptions): Promise<LocalLivekit> {
  const folder = path.join(path.resolve(options.dataDir), "livekit");
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const keys = developmentKeyPair(folder);
  const preferred = options.port ?? 7880;
  const port = (await portIsFree(preferred)) ? preferred : await freePort();
  const configFile = path.join(folder, "livekit.yaml");
  writeFileSync(configFile, livekitConfig(port, keys, options.webhookUrl), { mode: 0o600 });
  const logFile = path.join(folder, "livekit.log");
  const output = openSync(logFile, "w", 0o600);

  const started = Date.now();
  // In our process group, so that whatever stops us at once (Ctrl-C at a terminal, a test runner
  // killing its server's group) stops LiveKit too.
  const child = spawn(options.binary, ["--config", configFile], { stdio: ["ignore", output, output] });
  closeSync(output);
  const killNow = () => child.kill("SIGKILL");
  process.once("exit", killNow);

  const stop = async () => {
    process.off("exit", killNow);
    if (child.exitCode !== null || child.signalCode !== null) return;
    // LiveKit's first signal waits for every participant to leave; the second stops it at once.
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGTERM"), 100).unref();
    const timer = setTimeout(killNow, STOP_TIMEOUT_MS);
    await exited(child);
    clearTimeout(timer);
  };

  try {
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    await waitUntilAnswering(child, port, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  options.log?.(`LiveKit ${LOOPBACK}:${port} answered in ${((Date.now() - started) / 1000).toFixed(1)} s (log: ${path.relative(process.cwd(), logFile)})`);
  return { url: `ws://${LOOPBACK}:${port}`, apiKey: keys.apiKey, apiSecret: keys.apiSecret, port, logFile, stop };
}
