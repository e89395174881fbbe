// A call's room on the LiveKit server, made by Hearth before anyone joins (the server is configured
// not to create rooms on join), with a participant cap and an empty timeout. Room names are random
// 128-bit values made by the caller's device and shared only inside the encrypted chat.
import "server-only";
import { RoomServiceClient } from "livekit-server-sdk";
import { AppError } from "../errors";
import type { LivekitSettings } from "./livekit-settings";

/** Seconds a room waits for its first participant, and stays after its last one left. */
export const CALL_ROOM_EMPTY_TIMEOUT_SECONDS = 60;
export const CALL_ROOM_DEPARTURE_TIMEOUT_SECONDS = 20;
/** A LiveKit server that takes longer than this to create a room is treated as down. */
const LIVEKIT_REQUEST_TIMEOUT_SECONDS = 5;

export function roomService(settings: LivekitSettings): RoomServiceClient {
  // No failover: that is for LiveKit Cloud's regions, and would retry a down server for longer.
  return new RoomServiceClient(settings.url, settings.apiKey, settings.apiSecret, { requestTimeout: LIVEKIT_REQUEST_TIMEOUT_SECONDS, failover: false });
}

/**
 * Creates the room unless it exists. A room that exists keeps the cap it was made with: the first
 * device to ask sets it.
 * @throws AppError CALLS_UNAVAILABLE when the LiveKit server does not answer or refuses the key pair
 */
export async function ensureCallRoom(options: { settings: LivekitSettings; room: string; maxParticipants: number }): Promise<void> {
  try {
    await roomService(options.settings).createRoom({
      name: options.room,
      maxParticipants: options.maxParticipants,
      emptyTimeout: CALL_ROOM_EMPTY_TIMEOUT_SECONDS,
      departureTimeout: CALL_ROOM_DEPARTURE_TIMEOUT_SECONDS,
    });
  } catch (error) {
    // The cause goes to the log only: it names LiveKit's address, which is nobody else's business.
    console.error(`[calls] creating a room on the LiveKit server failed: ${error instanceof Error ? error.message : String(error)}`);
    throw new AppError("CALLS_UNAVAILABLE", "The call server is not answering; try again in a moment.");
  }
}
