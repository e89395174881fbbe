import "server-only";
import { z } from "zod";
import { enforceRateLimit, rateLimitRules } from "../../auth/rate-limits";
import { setBookmark, setLike, setRepost } from "../../data/social/interactions";
import { MAX_MEDIA_PER_POST, createPost, deletePost, editPost, listPostEdits } from "../../data/social/posts";
import { loadPostViews } from "../../data/social/post-views";
import { createSocialReport } from "../../data/social/reports";
import { AppError } from "../../errors";
import { deleteMediaFiles } from "../../media/media-storage";
import { createTRPCRouter, protectedProcedure } from "../../trpc";
import { ZReportNoteSchema, ZReportReasonSchema } from "../input-schemas";
import { ZContentWarningSchema, ZIdSchema, ZMediaAttachmentSchema, ZPostTextSchema } from "./schemas";

const ZNewPostSchema = z
  .object({
    text: ZPostTextSchema,
    contentWarning: ZContentWarningSchema,
    replyToId: ZIdSchema.nullish().transform((v) => v ?? null),
    quoteOfId: ZIdSchema.nullish().transform((v) => v ?? null),
    media: z.array(ZMediaAttachmentSchema).max(MAX_MEDIA_PER_POST, { error: "too_many_images" }).default([]),
    /** The composer's name for this post, the same on every retry: a repeat returns the stored post. */
    clientRequestId: ZIdSchema.optional(),
  })
  .refine((post) => post.text.length > 0 || post.media.length > 0 || post.quoteOfId, { error: "post_empty", path: ["text"] });

export const postsRouter = createTRPCRouter({
  /** Reports a post the caller can see to the operators (one's own: FORBIDDEN). */
  report: protectedProcedure
    .input(z.object({ id: ZIdSchema, reason: ZReportReasonSchema, note: ZReportNoteSchema.optional() }))
    .mutation(async ({ ctx, input }) => {
      await enforceRateLimit(rateLimitRules.reportsPerAccount, ctx.actor.userId, ctx.now());
      await createSocialReport({
        actor: ctx.actor,
        purpose: "core.posts",
        target: { postId: input.id },
        reason: input.reason,
        note: input.note ?? null,
        now: ctx.now(),
      });
      return { ok: true as const };
    }),

  create: protectedProcedure.input(ZNewPostSchema).mutation(async ({ ctx, input }) => {
    const { actor } = ctx;
    await enforceRateLimit(rateLimitRules.postsPerAccount, actor.userId, ctx.now());
    const { id } = await createPost({ actor, purpose: "core.posts", post: input, now: ctx.now() });
    const view = (await loadPostViews({ actor, postIds: [id] })).get(id);
    if (!view) throw new AppError("NOT_FOUND", "The new post could not be read back.");
    return view;
  }),

  get: protectedProcedure.input(z.object({ id: ZIdSchema })).query(async ({ ctx, input }) => {
    const view = (await loadPostViews({ actor: ctx.actor, postIds: [input.id], now: ctx.now() })).get(input.id);
    if (!view) throw new AppError("NOT_FOUND", "That post is not available.");
    return view;
  }),

  edit: protectedProcedure
    .input(z.object({ id: ZIdSchema, text: ZPostTextSchema.refine((t) => t.length > 0, { error: "post_empty" }), contentWarning: ZContentWarningSchema }))
    .mutation(async ({ ctx, input }) => {
      await enforceRateLimit(rateLimitRules.postsPerAccount, ctx.actor.userId, ctx.now());
      await editPost({ actor: ctx.actor, purpose: "core.posts", postId: input.id, text: input.text, contentWarning: input.contentWarning, now: ctx.now() });
      return { ok: true as const };
    }),

  edits: protectedProcedure
    .input(z.object({ id: ZIdSchema }))
    .query(({ ctx, input }) => listPostEdits({ actor: ctx.actor, purpose: "core.posts", postId: input.id })),

  delete: protectedProcedure.input(z.object({ id: ZIdSchema })).mutation(async ({ ctx, input }) => {
    const { storageKeys } = await deletePost({ actor: ctx.actor, purpose: "core.posts", postId: input.id });
    await deleteMediaFiles(storageKeys);
    return { ok: true as const };
  }),

  setLike: protectedProcedure.input(z.object({ id: ZIdSchema, liked: z.boolean() })).mutation(async ({ ctx, input }) => {
    await setLike({ actor: ctx.actor, purpose: "core.posts", postId: input.id, liked: input.liked });
    return { ok: true as const };
  }),

  setRepost: protectedProcedure.input(z.object({ id: ZIdSchema, reposted: z.boolean() })).mutation(async ({ ctx, input }) => {
    await setRepost({ actor: ctx.actor, purpose: "core.posts", postId: input.id, reposted: input.reposted });
    return { ok: true as const };
  }),

  setBookmark: protectedProcedure.input(z.object({ id: ZIdSchema, bookmarked: z.boolean() })).mutation(async ({ ctx, input }) => {
    await setBookmark({ actor: ctx.actor, purpose: "core.posts", postId: input.id, bookmarked: input.bookmarked });
    return { ok: true as const };
  }),
});
