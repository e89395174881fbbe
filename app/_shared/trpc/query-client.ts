import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";

/**
 * Data prefetched on the server reaches the browser as it would over HTTP: plain JSON, so a Date
 * becomes its ISO string there as in a query the browser makes itself (tRPC has no transformer).
 */
const asSentOverHttp = (data: unknown): unknown => (data === undefined ? undefined : JSON.parse(JSON.stringify(data)));

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30 * 1000 },
      dehydrate: {
        serializeData: asSentOverHttp,
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
    },
  });
}
