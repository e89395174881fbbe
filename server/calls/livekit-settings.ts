// Where calls go: the LiveKit server and Hearth's key pair for it, from the environment
// (server/env.ts takes all three or none). Without them calls are off, and say so.
import "server-only";
import { serverEnv } from "../env";
import { AppError } from "../errors";

export interface LivekitSettings {
  /** As browsers reach it (ws:// or wss://); the server's own API calls use the same host. */
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** The configured LiveKit server, or null when calls are not configured. */
export function livekitSettings(): LivekitSettings | null {
  const { LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret } = serverEnv();
  return url && apiKey && apiSecret ? { url, apiKey, apiSecret } : null;
}

/**
 * The configured LiveKit server.
 * @throws AppError NOT_CONFIGURED when LIVEKIT_URL and its key pair are not set
 */
export function requireLivekitSettings(): LivekitSettings {
  const settings = livekitSettings();
  if (!settings) throw new AppError("NOT_CONFIGURED", "Calls are not configured on this server.");
  return settings;
}
