// Calls: whether this server has a LiveKit server for them, and a token to join one call's room.
// Hearth keeps no record of calls: it makes the room on LiveKit and mints a short token for it, and
// what a call says travels end-to-end encrypted between the devices (the media key goes inside a
// chat message). Thin: zod at the edge, then one server/calls function.
import "server-only";
import { enforceRateLimit, rateLimitRules } from "../../auth/rate-limits";
import { ensureCallRoom } from "../../calls/ensure-call-room";
import { livekitSettings, requireLivekitSettings } from "../../calls/livekit-settings";
import { mintCallToken } from "../../calls/mint-call-token";
import { createTRPCRouter, protectedProcedure } from "../../trpc";
import { ZJoinCallSchema } from "./schemas";

export const callsRouter = createTRPCRouter({
  /** Whether calls work here, and the LiveKit URL browsers connect to. */
  configured: protectedProcedure.query(() => {
    const settings = livekitSettings();
    return { configured: settings !== null, url: settings?.url ?? null };
  }),

  /**
   * Makes the call's room unless it exists, and a token admitting the caller to it alone.
   * @throws AppError RATE_LIMITED | NOT_CONFIGURED | CALLS_UNAVAILABLE
   */
  join: protectedProcedure.input(ZJoinCallSchema).mutation(async ({ ctx, input }) => {
    await enforceRateLimit(rateLimitRules.callsPerAccount, ctx.actor.userId, ctx.now());
    const settings = requireLivekitSettings();
    await ensureCallRoom({ settings, room: input.room, maxParticipants: input.maxParticipants });
    const { token, participantId } = await mintCallToken({ settings, room: input.room, kind: input.kind });
    return { url: settings.url, token, participantId };
  }),
});
