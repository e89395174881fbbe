import "server-only";
import { z } from "zod";
import { countNewHomeEntries, getThread, listBookmarks, listHashtagTimeline, listHomeTimeline, listProfileTimeline } from "../../data/social/timelines";
import { getProfileByHandle } from "../../data/social/profiles";
import { normalizeHashtag } from "@/app/_shared/isomorphic/post-text";
import { AppError } from "../../errors";
import { createTRPCRouter, protectedProcedure } from "../../trpc";
import { ZTimestampSchema, zUserText } from "../input-schemas";
import { ZCursorSchema, ZHandleParamSchema, ZIdSchema } from "./schemas";

export const timelineRouter = createTRPCRouter({
  home: protectedProcedure
    .input(z.object({ cursor: ZCursorSchema }))
    .query(({ ctx, input }) => listHomeTimeline({ actor: ctx.actor, purpose: "core.timeline", cursor: input.cursor })),

  countNew: protectedProcedure
    .input(z.object({ since: ZTimestampSchema }))
    .query(({ ctx, input }) => countNewHomeEntries({ actor: ctx.actor, purpose: "core.timeline", since: input.since })),

  profile: protectedProcedure
    .input(z.object({ handle: ZHandleParamSchema, tab: z.enum(["posts", "replies", "media"]).default("posts"), cursor: ZCursorSchema }))
    .query(async ({ ctx, input }) => {
      const { actor } = ctx;
      const profile = await getProfileByHandle({ actor, purpose: "core.profiles", handle: input.handle });
      if (!profile) throw new AppError("NOT_FOUND", "No such account.");
      if (!profile.canSeePosts) return { entries: [], nextCursor: null };
      return listProfileTimeline({ actor, purpose: "core.timeline", authorId: profile.id, tab: input.tab, cursor: input.cursor });
    }),

  hashtag: protectedProcedure
    .input(
      z.object({
        tag: zUserText()
          .trim()
          .min(1)
          .max(100)
          .transform((t) => normalizeHashtag(t.replace(/^#/, ""))),
        cursor: ZCursorSchema,
      }),
    )
    .query(({ ctx, input }) => listHashtagTimeline({ actor: ctx.actor, purpose: "core.timeline", tag: input.tag, cursor: input.cursor })),

  bookmarks: protectedProcedure
    .input(z.object({ cursor: ZCursorSchema }))
    .query(({ ctx, input }) => listBookmarks({ actor: ctx.actor, purpose: "core.timeline", cursor: input.cursor })),

  thread: protectedProcedure.input(z.object({ id: ZIdSchema, cursor: ZCursorSchema })).query(async ({ ctx, input }) => {
    const thread = await getThread({ actor: ctx.actor, purpose: "core.timeline", postId: input.id, cursor: input.cursor });
    if (!thread) throw new AppError("NOT_FOUND", "That post is not available.");
    return thread;
  }),
});
