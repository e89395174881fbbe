// A LiveKit access token for one call: it admits its bearer to one room only, for a short time,
// under a random participant id made for this call (never the account id, and no name), so that
// LiveKit learns neither who is in a room nor that two calls had the same person in them. Who a
// participant is travels only inside the encrypted chat.
import "server-only";
import { randomBytes } from "node:crypto";
import { AccessToken, TrackSource } from "livekit-server-sdk";
import type { LivekitSettings } from "./livekit-settings";

/** Long enough to connect; once connected, LiveKit refreshes the token itself, so a long call outlives it. */
export const CALL_TOKEN_TTL_SECONDS = 10 * 60;

export type CallKind = "audio" | "video";

/** What each kind of call may publish: a voice call sends no pictures. */
const SOURCES: Record<CallKind, TrackSource[]> = {
  audio: [TrackSource.MICROPHONE],
  video: [TrackSource.MICROPHONE, TrackSource.CAMERA, TrackSource.SCREEN_SHARE, TrackSource.SCREEN_SHARE_AUDIO],
};

export interface CallToken {
  token: string;
  /** The identity LiveKit knows this participant by: 128 random bits, new for every token. */
  participantId: string;
}

export async function mintCallToken(options: { settings: LivekitSettings; room: string; kind: CallKind }): Promise<CallToken> {
  const participantId = randomBytes(16).toString("base64url");
  const token = new AccessToken(options.settings.apiKey, options.settings.apiSecret, { identity: participantId, ttl: CALL_TOKEN_TTL_SECONDS });
  token.addGrant({
    room: options.room,
    roomJoin: true,
    canPublish: true,
    canPublishSources: SOURCES[options.kind],
    canSubscribe: true,
    canPublishData: true,
  });
  return { token: await token.toJwt(), participantId };
}
