// A failed tRPC call as the components read it (describeError, the chat's serverErrorOf): the
// error's shape from the server, or none when the request never got a tRPC answer.
import type { HearthClientError } from "@/app/_shared/ui/describe-error";

type ErrorShape = NonNullable<HearthClientError["shape"]>;

export class TrpcCallError extends Error implements HearthClientError {
  constructor(
    message: string,
    readonly shape: ErrorShape | null,
  ) {
    super(message);
  }
  get data(): ErrorShape["data"] | null {
    return this.shape?.data ?? null;
  }
}

/**
 * Whether `error` came from a tRPC call: ours, or @trpc/client's TRPCClientError (the chat engine's
 * client, the Vitest harnesses). Both carry the server's `shape` and its `data`.
 */
export function isTrpcCallError(error: unknown): error is HearthClientError {
  return error instanceof Error && "shape" in error && "data" in error;
}
