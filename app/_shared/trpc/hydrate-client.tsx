// Hands what a page prefetched on the server to the browser's TanStack Query. Apart from server.tsx
// because importing HydrationBoundary into a server module puts TanStack Query into the first load
// of every page whose server code imports that module, whether it renders it or not.
import "server-only";
import { HydrationBoundary } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { prefetchedState } from "./server";

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={prefetchedState()}>{children}</HydrationBoundary>;
}
