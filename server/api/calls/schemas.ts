// Inputs of the calls router.
import { z } from "zod";

/** A call's room name: 128 random bits as 32 lowercase hex characters, made by the caller's device. */
export const ZCallRoomSchema = z.string().regex(/^[0-9a-f]{32}$/, { error: "call_room_invalid" });

/** The most people in one call: LiveKit forwards every stream to everyone, and each device decrypts them all. */
export const MAX_CALL_PARTICIPANTS = 50;

export const ZJoinCallSchema = z.object({
  room: ZCallRoomSchema,
  kind: z.enum(["audio", "video"]),
  /** The cap the room is created with: 3 for a 1:1 call (the two, and a device rejoining after a reload before LiveKit drops its old participant). */
  maxParticipants: z.number().int().min(2).max(MAX_CALL_PARTICIPANTS),
});

export type TJoinCall = z.infer<typeof ZJoinCallSchema>;
