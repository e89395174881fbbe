// Profiles and relationships between people.
import "server-only";
import { z } from "zod";
import { enforceRateLimit, rateLimitRules } from "../../auth/rate-limits";
import { getProfileByHandle, updateProfile } from "../../data/social/profiles";
import { answerFollowRequest, follow, listFollowRequests, setBlock, setMute, unfollow } from "../../data/social/relationships";
import { toAuthorView } from "../../data/social/post-views";
import { createSocialReport } from "../../data/social/reports";
import { suggestPeopleToFollow } from "../../data/social/suggestions";
import { getLastActive } from "../../data/privacy/presence";
import { AppError } from "../../errors";
import { deleteMediaFiles } from "../../media/media-storage";
import { createTRPCRouter, protectedProcedure } from "../../trpc";
import { ZDisplayNameSchema, ZReportNoteSchema, ZReportReasonSchema, zUserText } from "../input-schemas";
import { ZHandleParamSchema, ZIdSchema } from "./schemas";

const ZTargetSchema = z.object({ userId: ZIdSchema });

export const peopleRouter = createTRPCRouter({
  /** Reports a profile the caller can see to the operators (one's own: FORBIDDEN). */
  report: protectedProcedure
    .input(z.object({ handle: ZHandleParamSchema, reason: ZReportReasonSchema, note: ZReportNoteSchema.optional() }))
    .mutation(async ({ ctx, input }) => {
      await enforceRateLimit(rateLimitRules.reportsPerAccount, ctx.actor.userId, ctx.now());
      await createSocialReport({
        actor: ctx.actor,
        purpose: "core.profiles",
        target: { handle: input.handle },
        reason: input.reason,
        note: input.note ?? null,
        now: ctx.now(),
      });
      return { ok: true as const };
    }),

  profile: protectedProcedure.input(z.object({ handle: ZHandleParamSchema })).query(async ({ ctx, input }) => {
    const profile = await getProfileByHandle({ actor: ctx.actor, purpose: "core.profiles", handle: input.handle });
    if (!profile) throw new AppError("NOT_FOUND", "No such account.");
    return profile;
  }),

  /**
   * When a mutual follower was last active, if they share presence; null otherwise. Separate from
   * `profile` so that it is read (and logged in their access log) only where it is shown.
   */
  lastActive: protectedProcedure
    .input(z.object({ userId: ZIdSchema }))
    .query(({ ctx, input }) => getLastActive({ actor: ctx.actor, subjectId: input.userId, now: ctx.now() })),

  /** "Who to follow": personalized only with personalized_suggestions granted. */
  suggestions: protectedProcedure.query(({ ctx }) => suggestPeopleToFollow({ actor: ctx.actor, purpose: "core.profiles" })),

  updateProfile: protectedProcedure
    .input(
      z.object({
        displayName: ZDisplayNameSchema.optional(),
        bio: zUserText({ multiline: true }).trim().max(300, { error: "bio_too_long" }).optional(),
        isProtected: z.boolean().optional(),
        avatarMediaId: ZIdSchema.nullable().optional(),
        headerMediaId: ZIdSchema.nullable().optional(),
        pinnedPostId: ZIdSchema.nullable().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { replacedStorageKeys } = await updateProfile({ actor: ctx.actor, purpose: "core.profiles", changes: input });
      await deleteMediaFiles(replacedStorageKeys);
      return { ok: true as const };
    }),

  follow: protectedProcedure.input(ZTargetSchema).mutation(async ({ ctx, input }) => {
    await enforceRateLimit(rateLimitRules.followsPerAccount, ctx.actor.userId, ctx.now());
    return follow({ actor: ctx.actor, purpose: "core.relationships", targetId: input.userId });
  }),

  unfollow: protectedProcedure.input(ZTargetSchema).mutation(async ({ ctx, input }) => {
    await unfollow({ actor: ctx.actor, purpose: "core.relationships", targetId: input.userId });
    return { ok: true as const };
  }),

  followRequests: protectedProcedure.query(async ({ ctx }) => {
    const requests = await listFollowRequests({ actor: ctx.actor, purpose: "core.relationships" });
    return requests.map((r) => ({ requestedAt: r.createdAt, requester: toAuthorView(r.requester) }));
  }),

  answerFollowRequest: protectedProcedure.input(z.object({ userId: ZIdSchema, approve: z.boolean() })).mutation(async ({ ctx, input }) => {
    await answerFollowRequest({ actor: ctx.actor, purpose: "core.relationships", requesterId: input.userId, approve: input.approve });
    return { ok: true as const };
  }),

  setBlock: protectedProcedure.input(ZTargetSchema.extend({ blocked: z.boolean() })).mutation(async ({ ctx, input }) => {
    await setBlock({ actor: ctx.actor, purpose: "core.relationships", targetId: input.userId, blocked: input.blocked });
    return { ok: true as const };
  }),

  setMute: protectedProcedure.input(ZTargetSchema.extend({ muted: z.boolean() })).mutation(async ({ ctx, input }) => {
    await setMute({ actor: ctx.actor, purpose: "core.relationships", targetId: input.userId, muted: input.muted });
    return { ok: true as const };
  }),
});
