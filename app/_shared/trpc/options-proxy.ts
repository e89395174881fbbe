// `useTRPC()`'s options (`trpc.social.timeline.home.infiniteQueryOptions(...)`) over the lean
// caller, with @trpc/tanstack-react-query's types and its exact query keys: the server prefetches
// with that package (server.tsx), and the browser must find the hydrated data under the same keys.
// The package itself imports @trpc/client's whole index and tRPC's server-side caller (about 10 kB
// gzipped), which a page's first load cannot afford.
import { skipToken, type QueryFunctionContext } from "@tanstack/react-query";
import type { AnyTRPCRouter } from "@trpc/server";
import type { TRPCOptionsProxy } from "@trpc/tanstack-react-query";
import type { AppRouter } from "@/server/root";
import type { TrpcCaller } from "./http-caller";

type KeyType = "query" | "infinite" | "any";
type QueryKey = unknown[];
/** Options the caller passes through, such as React Query's; typed at the proxy's surface. */
type Options = Record<string, unknown> | undefined;

const isPlainObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === "object" && !Array.isArray(value);

/** tRPC's key: the path as an array, then the input (without an infinite query's cursor) and the kind. */
export function trpcQueryKey(path: string[], input: unknown, type: KeyType): QueryKey {
  if (input === undefined && type === "any") return path.length > 0 ? [path] : [];
  if (type === "infinite" && isPlainObject(input) && ("cursor" in input || "direction" in input)) {
    const { cursor: _cursor, direction: _direction, ...rest } = input;
    return [path, { input: rest, type }];
  }
  return [path, { ...(input !== undefined && input !== skipToken ? { input } : {}), ...(type !== "any" ? { type } : {}) }];
}

const inputOf = (queryKey: readonly unknown[]): unknown => (queryKey[1] as { input?: unknown } | undefined)?.input;

export function createOptionsProxy<TRouter extends AnyTRPCRouter = AppRouter>(caller: TrpcCaller): TRPCOptionsProxy<TRouter> {
  const utilities = (path: string[], input: unknown, opts: Options): unknown => {
    const name = path.join(".");
    return {
      pathKey: () => trpcQueryKey(path, undefined, "any"),
      pathFilter: () => ({ ...(input as Options), queryKey: trpcQueryKey(path, undefined, "any") }),
      queryKey: () => trpcQueryKey(path, input, "query"),
      queryFilter: () => ({ ...opts, queryKey: trpcQueryKey(path, input, "query") }),
      queryOptions: () => ({
        ...opts,
        queryKey: trpcQueryKey(path, input, "query"),
        queryFn: input === skipToken ? skipToken : ({ queryKey }: QueryFunctionContext) => caller.query(name, inputOf(queryKey)),
        trpc: { path: name },
      }),
      infiniteQueryKey: () => trpcQueryKey(path, input, "infinite"),
      infiniteQueryFilter: () => ({ ...opts, queryKey: trpcQueryKey(path, input, "infinite") }),
      infiniteQueryOptions: () => {
        const queryKey = trpcQueryKey(path, input, "infinite");
        return {
          ...opts,
          queryKey,
          queryFn:
            input === skipToken
              ? skipToken
              : ({ pageParam, direction }: QueryFunctionContext<QueryKey, unknown>) =>
                  caller.query(name, { ...(inputOf(queryKey) as object | undefined), ...(pageParam !== undefined ? { cursor: pageParam } : {}), direction }),
          initialPageParam: opts?.initialCursor ?? (input as { cursor?: unknown } | undefined)?.cursor,
          trpc: { path: name },
        };
      },
      // mutationOptions takes its options first: `input` is them.
      mutationKey: () => [path],
      mutationOptions: () => ({
        ...(input as Options),
        mutationKey: [path],
        mutationFn: (mutationInput: unknown) => caller.mutation(name, mutationInput),
        trpc: { path: name },
      }),
    };
  };
  const at = (path: string[]): unknown =>
    new Proxy(() => undefined, {
      get: (_target, key) => (typeof key === "string" && key !== "then" ? at([...path, key]) : undefined),
      apply(_target, _this, args: unknown[]) {
        const utility = path.at(-1)!;
        const make = (utilities(path.slice(0, -1), args[0], args[1] as Options) as Record<string, (() => unknown) | undefined>)[utility];
        if (!make) throw new TypeError(`Not a tRPC query utility: ${path.join(".")}`);
        return make();
      },
    });
  return at([]) as TRPCOptionsProxy<TRouter>;
}
