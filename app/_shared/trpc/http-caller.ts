// The browser's tRPC calls, over fetch in tRPC's own wire format (the HTTP batch link's: queries
// by GET, mutations by POST, the calls made in one tick sent as one batch). This is what
// @trpc/client does for queries and mutations, without its index: the package is not marked
// side-effect-free, so importing anything from it ships the WebSocket link and server helpers too
// (about 10 kB gzipped on every signed-in page). Subscriptions, which only the chat engine opens
// and only after the page is up, load the full client when first asked for.
import type { TRPCUntypedClient } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { MAX_TRPC_BATCH_SIZE } from "./batch-limit";
import { TrpcCallError } from "./trpc-call-error";
import type { HearthClientError } from "@/app/_shared/ui/describe-error";

type CallType = "query" | "mutation";
type ErrorShape = NonNullable<HearthClientError["shape"]>;
type Answer = { result?: { data?: unknown }; error?: ErrorShape };

export interface CallOptions {
  signal?: AbortSignal | null;
}

/** What a subscriber hears (data, errors, the connection's state), as @trpc/client's untyped client takes it. */
export type SubscriptionHandlers = Parameters<TRPCUntypedClient<AnyRouter>["subscription"]>[2];

/** The untyped calls the typed client and the query options are built on. */
export interface TrpcCaller {
  query(path: string, input: unknown, options?: CallOptions): Promise<unknown>;
  mutation(path: string, input: unknown, options?: CallOptions): Promise<unknown>;
  subscription(path: string, input: unknown, handlers: SubscriptionHandlers): { unsubscribe(): void };
}

interface PendingCall {
  path: string;
  input: unknown;
  signal: AbortSignal | null;
  resolve(data: unknown): void;
  reject(error: unknown): void;
}

const abortError = () => new TrpcCallError("The operation was aborted.", null);

/** Calls the server at `url` (such as "/api/trpc"), batching calls of one type made in the same tick. */
export function createHttpCaller(url: string): TrpcCaller {
  const waiting: Record<CallType, PendingCall[]> = { query: [], mutation: [] };

  async function send(type: CallType, calls: PendingCall[]): Promise<void> {
    // Batch input is an object keyed by position; JSON leaves out calls without input, as tRPC's link does.
    const input = JSON.stringify(Object.fromEntries(calls.map((call, index) => [index, call.input])));
    const paths = calls.map((call) => call.path).join(",");
    // The request stops only when every call in it was given up.
    const controller = new AbortController();
    const signals = calls.map((call) => call.signal);
    if (signals.every((signal) => signal)) {
      const abortIfAllAborted = () => signals.every((signal) => signal!.aborted) && controller.abort();
      for (const signal of signals) signal!.addEventListener("abort", abortIfAllAborted, { once: true });
    }
    let answers: unknown;
    try {
      const response =
        type === "query"
          ? await fetch(`${url}/${paths}?batch=1&input=${encodeURIComponent(input)}`, { signal: controller.signal })
          : await fetch(`${url}/${paths}?batch=1`, { method: "POST", headers: { "content-type": "application/json" }, body: input, signal: controller.signal });
      answers = await response.json().catch(() => null);
      if (!Array.isArray(answers)) {
        // The request as a whole was refused (or never reached tRPC): every call fails alike.
        const shape = (answers as Answer | null)?.error ?? null;
        const error = new TrpcCallError(shape?.message ?? `HTTP ${response.status}`, shape);
        for (const call of calls) call.reject(error);
        return;
      }
    } catch {
      for (const call of calls) call.reject(call.signal?.aborted ? abortError() : new TrpcCallError("fetch failed", null));
      return;
    }
    calls.forEach((call, index) => {
      const answer = (answers as (Answer | undefined)[])[index];
      if (answer?.result) call.resolve(answer.result.data);
      else call.reject(new TrpcCallError(answer?.error?.message ?? "No answer for this call", answer?.error ?? null));
    });
  }

  function flush(type: CallType): void {
    const calls = waiting[type].filter((call) => !call.signal?.aborted);
    waiting[type] = [];
    for (let start = 0; start < calls.length; start += MAX_TRPC_BATCH_SIZE) void send(type, calls.slice(start, start + MAX_TRPC_BATCH_SIZE));
  }

  function call(type: CallType, path: string, input: unknown, options?: CallOptions): Promise<unknown> {
    const signal = options?.signal ?? null;
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      signal?.addEventListener("abort", () => reject(abortError()), { once: true });
      if (waiting[type].length === 0) setTimeout(() => flush(type));
      waiting[type].push({ path, input, signal, resolve, reject });
    });
  }

  return {
    query: (path, input, options) => call("query", path, input, options),
    mutation: (path, input, options) => call("mutation", path, input, options),
    subscription(path, input, handlers) {
      let stopped = false;
      let subscription: { unsubscribe(): void } | null = null;
      import("./full-client")
        .then(({ untypedFullClient }) => {
          if (!stopped) subscription = untypedFullClient().subscription(path, input, handlers);
        })
        .catch(() => handlers.onError?.(new TrpcCallError("Could not load the subscription client", null) as never));
      return {
        unsubscribe() {
          stopped = true;
          subscription?.unsubscribe();
        },
      };
    },
  };
}
