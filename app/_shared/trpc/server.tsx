// tRPC for React Server Components: a caller bound to this request's cookies, and an options
// proxy whose prefetched queries are handed to the client (prefetchedState).
import "server-only";
import { dehydrate, type DehydratedState } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache } from "react";
import { createServedCaller, servedRouter } from "@/server/root";
import { createTRPCContext } from "@/server/trpc";
import { makeQueryClient } from "./query-client";

const createRscContext = cache(async () => createTRPCContext({ headers: await headers(), resHeaders: null }));

export const getQueryClient = cache(makeQueryClient);

export const trpc = createTRPCOptionsProxy({ ctx: createRscContext, router: servedRouter(), queryClient: getQueryClient });

export const serverCaller = cache(async () => createServedCaller(await createRscContext()));

/**
 * What this request prefetched, for a <HydrationBoundary> in the browser: through <HydrateClient>
 * (hydrate-client.tsx), or as a prop of a part whose code loads after first paint.
 */
export function prefetchedState(): DehydratedState {
  return dehydrate(getQueryClient());
}
