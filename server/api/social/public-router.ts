// What logged-out visitors may read: only what its owner made public (search_engine_indexing).
import "server-only";
import { z } from "zod";
import { getPublicPost, getPublicProfile } from "../../data/social/public-views";
import { createTRPCRouter, publicProcedure } from "../../trpc";
import { ZHandleParamSchema, ZIdSchema } from "./schemas";

export const publicRouter = createTRPCRouter({
  /** A public profile with its latest posts, or null when there is none to show. */
  profile: publicProcedure
    .input(z.object({ handle: ZHandleParamSchema }))
    .query(({ input }) => getPublicProfile({ handle: input.handle, purpose: "core.profiles" })),
  post: publicProcedure.input(z.object({ id: ZIdSchema })).query(({ input }) => getPublicPost({ postId: input.id, purpose: "core.posts" })),
});
