// The typed client (`client.chat.storage.secret.mutate()`) over the lean caller: the same type as
// @trpc/client's, so the code that calls procedures directly (calls, the history export) keeps its
// types from the router without the package's runtime.
import type { TRPCClient } from "@trpc/client";
import type { AnyTRPCRouter } from "@trpc/server";
import type { AppRouter } from "@/server/root";
import type { TrpcCaller } from "./http-caller";

const methods = { query: "query", mutate: "mutation", subscribe: "subscription" } as const;

export function createTypedClient<TRouter extends AnyTRPCRouter = AppRouter>(caller: TrpcCaller): TRPCClient<TRouter> {
  const at = (path: string[]): unknown =>
    new Proxy(() => undefined, {
      // "then" stays undefined, so that awaiting the client (or a router in it) does not call it.
      get: (_target, key) => (typeof key === "string" && key !== "then" ? at([...path, key]) : undefined),
      apply(_target, _this, args: unknown[]) {
        const method = methods[path.at(-1) as keyof typeof methods];
        if (!method) throw new TypeError(`Not a tRPC client method: ${path.join(".")}`);
        const procedure = path.slice(0, -1).join(".");
        // Procedures typed by the router are called with their own input and options.
        return (caller[method] as (path: string, input: unknown, options: unknown) => unknown)(procedure, args[0], args[1]);
      },
    });
  return at([]) as TRPCClient<TRouter>;
}
