// What `npm start` does about calls when LIVEKIT_URL is not set: start the local LiveKit server
// beside the app when one is found (scripts/livekit/find-livekit.ts), and hand its URL and key pair
// to the app. Without one, the app runs and says calls are not configured; where Go is installed,
// the server is built in the background meanwhile (a few minutes, once), for the next start. In CI
// calls must work, so a missing server stops the start instead.
import { buildLivekitServer, findLivekitServer, GET_LIVEKIT_HELP, goAvailable } from "./find-livekit";
import { type LocalLivekit, startLivekit } from "./start-livekit";

export interface LivekitBesideAppOptions {
  dataDir: string;
  /** Where LiveKit posts its webhooks. */
  webhookUrl: string;
  /** CI: refuse to run without calls rather than build or go on without them. */
  required: boolean;
  log: (line: string) => void;
}

/**
 * The LiveKit server started for the app, or null when there is none (calls are then off).
 * @throws Error when `required` and no server is found, or when a found server does not start
 */
export async function startLivekitBesideApp(options: LivekitBesideAppOptions): Promise<LocalLivekit | null> {
  const { log } = options;
  const binary = findLivekitServer();
  if (binary) return startLivekit({ binary, dataDir: options.dataDir, webhookUrl: options.webhookUrl, log });
  if (options.required) throw new Error(`Calls must be tested in CI, and no LiveKit server was found.\n${GET_LIVEKIT_HELP}`);
  if (!goAvailable()) {
    log("Calls are off (call buttons will say calls are not configured).");
    for (const line of GET_LIVEKIT_HELP.split("\n")) log(line);
    return null;
  }
  log("Calls are off for now: no LiveKit server yet. Building one in the background; Hearth is usable meanwhile.");
  buildLivekitServer(log).then(
    () => log("The LiveKit server is built: restart Hearth (Ctrl-C, then npm start) to turn calls on."),
    (error: unknown) => log(`Calls stay off: ${error instanceof Error ? error.message : String(error)}`),
  );
  return null;
}
