// The full tRPC client (@trpc/client: batched HTTP, and SSE for subscriptions) for the code that
// loads after the page is up: the chat engine, and subscriptions opened through the lean caller.
// Never imported statically by a page's first load (see http-caller.ts for why).
import { createTRPCClient, getUntypedClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClient, type TRPCUntypedClient } from "@trpc/client";
import type { AppRouter } from "@/server/root";
import { MAX_TRPC_BATCH_SIZE } from "./batch-limit";

const url = "/api/trpc";

let client: TRPCClient<AppRouter> | undefined;

/** One per browser tab. */
export function fullTrpcClient(): TRPCClient<AppRouter> {
  client ??= createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url }),
        false: httpBatchLink({ url, maxItems: MAX_TRPC_BATCH_SIZE }),
      }),
    ],
  });
  return client;
}

export function untypedFullClient(): TRPCUntypedClient<AppRouter> {
  return getUntypedClient(fullTrpcClient());
}
