"use client";
// The browser's tRPC: TanStack Query with tRPC's typed query options (useTRPC) and a typed client
// (useTRPCClient), both over one lean caller (http-caller.ts) rather than @trpc/client and
// @trpc/tanstack-react-query, which a page's first load cannot afford. Same wire format, keys and
// types; subscriptions load the full client when opened.
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import type { TRPCClient } from "@trpc/client";
import type { TRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { createContext, useContext, useState, type ReactNode } from "react";
import type { AppRouter } from "@/server/root";
import { createHttpCaller } from "./http-caller";
import { createOptionsProxy } from "./options-proxy";
import { makeQueryClient } from "./query-client";
import { createTypedClient } from "./typed-client";

interface BrowserTrpc {
  options: TRPCOptionsProxy<AppRouter>;
  client: TRPCClient<AppRouter>;
}

const TrpcContext = createContext<BrowserTrpc | null>(null);

let browserQueryClient: QueryClient | undefined;
// One per browser tab, like the query client: the social site and Messages each mount the provider
// in their own layout, and moving between them keeps the same one.
let browserTrpc: BrowserTrpc | undefined;

function getQueryClient(): QueryClient {
  if (typeof window === "undefined") return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

function makeBrowserTrpc(): BrowserTrpc {
  const caller = createHttpCaller("/api/trpc");
  return { options: createOptionsProxy(caller), client: createTypedClient(caller) };
}

function getBrowserTrpc(): BrowserTrpc {
  if (typeof window === "undefined") return makeBrowserTrpc();
  browserTrpc ??= makeBrowserTrpc();
  return browserTrpc;
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpc] = useState(getBrowserTrpc);
  return (
    <QueryClientProvider client={queryClient}>
      <TrpcContext value={trpc}>{children}</TrpcContext>
    </QueryClientProvider>
  );
}

function useBrowserTrpc(): BrowserTrpc {
  const trpc = useContext(TrpcContext);
  if (!trpc) throw new Error("useTRPC() and useTRPCClient() need a TRPCReactProvider above them");
  return trpc;
}

/** Typed query and mutation options, and their keys, for TanStack Query. */
export function useTRPC(): TRPCOptionsProxy<AppRouter> {
  return useBrowserTrpc().options;
}

/** The typed client, for calls made outside TanStack Query. */
export function useTRPCClient(): TRPCClient<AppRouter> {
  return useBrowserTrpc().client;
}
