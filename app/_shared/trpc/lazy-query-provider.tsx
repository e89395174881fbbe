"use client";
// TanStack Query and tRPC's query options (TRPCReactProvider) for the parts below it, with their
// code loaded beside the page instead of in its first load: the social frame wraps each page in it,
// and the parts of the frame that query the server (the composer's dialog, who to follow) bring it
// themselves. Every provider shares the tab's one query client, so a cache is never split.
import dynamic from "next/dynamic";

export const LazyQueryProvider = dynamic(() => import("./client").then((m) => m.TRPCReactProvider));
