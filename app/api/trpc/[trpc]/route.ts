// The tRPC endpoint. Refuses cross-origin state changes before any procedure runs, with the route
// pipeline's check and status (server/http/route-handler.ts), in the shape a tRPC client reads.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { originRefusal } from "@/server/http/route-handler";
import { AppError } from "@/server/errors";
import { appRouter } from "@/server/root";
import { createTRPCContext } from "@/server/trpc";

function handler(request: Request): Promise<Response> | Response {
  const refusal = originRefusal(request);
  if (refusal) {
    return Response.json({ error: { message: refusal.message, data: { appCode: refusal.code } } }, { status: refusal.httpStatus });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
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
