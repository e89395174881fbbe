// Search, notifications and stories.
import "server-only";
import { z } from "zod";
import { enforceRateLimit, rateLimitRules } from "../../auth/rate-limits";
import { countUnreadNotifications, listNotificationGroups, markNotificationsRead } from "../../data/social/notifications";
import { searchPeople, searchPosts } from "../../data/social/search";
import { createStory, listStoryReels, listStoryViewers, markStorySeen } from "../../data/social/stories";
import { createTRPCRouter, protectedProcedure } from "../../trpc";
import { zUserText } from "../input-schemas";
import { ZAltTextSchema, ZCursorSchema, ZIdSchema } from "./schemas";

const ZQuerySchema = zUserText().trim().min(1, { error: "query_required" }).max(200, { error: "query_too_long" });

export const searchRouter = createTRPCRouter({
  posts: protectedProcedure
    .input(z.object({ query: ZQuerySchema, cursor: ZCursorSchema }))
    .query(({ ctx, input }) => searchPosts({ actor: ctx.actor, purpose: "core.search", query: input.query, cursor: input.cursor })),
  people: protectedProcedure
    .input(z.object({ query: ZQuerySchema }))
    .query(({ ctx, input }) => searchPeople({ actor: ctx.actor, purpose: "core.search", query: input.query })),
});

export const notificationsRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listNotificationGroups({ actor: ctx.actor, purpose: "core.notifications" })),
  unreadCount: protectedProcedure.query(({ ctx }) => countUnreadNotifications({ actor: ctx.actor, purpose: "core.notifications" })),
  markAllRead: protectedProcedure.mutation(async ({ ctx }) => ({
    marked: await markNotificationsRead({ actor: ctx.actor, purpose: "core.notifications", now: ctx.now() }),
  })),
});

export const storiesRouter = createTRPCRouter({
  reels: protectedProcedure.query(({ ctx }) => listStoryReels({ actor: ctx.actor, purpose: "core.stories", now: ctx.now() })),
  create: protectedProcedure
    .input(
      z
        .object({
          text: zUserText({ multiline: true })
            .trim()
            .max(500, { error: "story_too_long" })
            .nullish()
            .transform((t) => t || null),
          media: z
            .object({ id: ZIdSchema, altText: ZAltTextSchema })
            .nullish()
            .transform((m) => m ?? null),
        })
        .refine((s) => s.text || s.media, { error: "story_empty", path: ["text"] }),
    )
    .mutation(async ({ ctx, input }) => {
      await enforceRateLimit(rateLimitRules.postsPerAccount, ctx.actor.userId, ctx.now());
      return createStory({ actor: ctx.actor, purpose: "core.stories", ...input, now: ctx.now() });
    }),
  markSeen: protectedProcedure.input(z.object({ id: ZIdSchema })).mutation(async ({ ctx, input }) => {
    await markStorySeen({ actor: ctx.actor, purpose: "core.stories", storyId: input.id, now: ctx.now() });
    return { ok: true as const };
  }),
  viewers: protectedProcedure
    .input(z.object({ id: ZIdSchema, cursor: ZCursorSchema }))
    .query(({ ctx, input }) => listStoryViewers({ actor: ctx.actor, purpose: "core.stories", storyId: input.id, now: ctx.now() })),
});
