"use client";
// The browser's tRPC client: batched HTTP for queries and mutations, SSE for subscriptions.
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClient } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import { MAX_TRPC_BATCH_SIZE } from "./batch-limit";
import type { AppRouter } from "@/server/root";
import { makeQueryClient } from "./query-client";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

let browserQueryClient: QueryClient | undefined;
// One per browser tab, like the query client: the social site and Messages each mount the provider
// in their own layout, and moving between them keeps the same client (the chat engine holds it).
let browserTrpcClient: TRPCClient<AppRouter> | undefined;

function getQueryClient(): QueryClient {
  if (typeof window === "undefined") return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

const url = "/api/trpc";

function makeTrpcClient(): TRPCClient<AppRouter> {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url }),
        false: httpBatchLink({ url, maxItems: MAX_TRPC_BATCH_SIZE }),
      }),
    ],
  });
}

function getTrpcClient(): TRPCClient<AppRouter> {
  if (typeof window === "undefined") return makeTrpcClient();
  browserTrpcClient ??= makeTrpcClient();
  return browserTrpcClient;
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(getTrpcClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
