// The tRPC endpoint. Refuses cross-origin state changes before any procedure runs, and a body past
// MAX_BODY_BYTES or shorter than its Content-Length before any is parsed, with the route pipeline's
// checks and statuses (server/http/route-handler.ts), in the shape a tRPC client reads.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { MAX_TRPC_BATCH_SIZE } from "@/app/_shared/trpc/batch-limit";
import { AppError } from "@/server/errors";
import { originRefusal, readBodyOf } from "@/server/http/route-handler";
import { servedRouter } from "@/server/root";
import { createTRPCContext } from "@/server/trpc";

/**
 * The most a request body may hold. The largest calls are envelopes.send batches, which the chat
 * outbox splits to stay under it (a group message to 2,500 devices in the 256-byte bucket is about
 * 1.2 MB). Without a limit the whole body is read into memory and parsed, however large.
 */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

function refused(error: AppError): Response {
  return Response.json({ error: { message: error.message, data: { appCode: error.code } } }, { status: error.httpStatus });
}

async function handler(request: Request): Promise<Response> {
  const refusal = originRefusal(request);
  if (refusal) return refused(refusal);
  let req = request;
  if (request.body) {
    try {
      req = new Request(request, { body: await readBodyOf(request, MAX_BODY_BYTES) });
    } catch (error) {
      if (error instanceof AppError) return refused(error);
      throw error;
    }
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    // The whole API, or Hearth Chat's alone (HEARTH_APP=chat): a social procedure there answers 404.
    router: servedRouter(),
    maxBatchSize: MAX_TRPC_BATCH_SIZE,
    createContext: ({ resHeaders }) => createTRPCContext({ headers: request.headers, resHeaders }),
    // A refused rate limit says when to come back in the header HTTP clients read, as the route
    // handlers do, besides the body's retryAfterSeconds; a batch waits for its longest refusal.
    responseMeta({ errors }) {
      const waits = errors.flatMap((error) =>
        error.cause instanceof AppError && error.cause.details.retryAfterSeconds !== undefined ? [error.cause.details.retryAfterSeconds] : [],
      );
      return waits.length ? { headers: new Headers({ "Retry-After": String(Math.max(...waits)) }) } : {};
    },
    onError({ error, path }) {
      // Inputs are never logged: they can hold passwords.
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
