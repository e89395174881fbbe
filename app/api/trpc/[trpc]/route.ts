// The tRPC endpoint. Refuses cross-origin state changes before any procedure runs.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { isAllowedRequestOrigin } from "@/server/auth/request-origin";
import { serverEnv } from "@/server/env";
import { appRouter } from "@/server/root";
import { createTRPCContext } from "@/server/trpc";

function handler(request: Request): Promise<Response> | Response {
  if (!isAllowedRequestOrigin(request, { trustProxy: serverEnv().HEARTH_TRUST_PROXY })) {
    return Response.json(
      { error: { message: "Cross-origin request refused.", data: { appCode: "FORBIDDEN_ORIGIN" } } },
      { status: 403 },
    );
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: ({ resHeaders }) => createTRPCContext({ headers: request.headers, resHeaders }),
    onError({ error, path }) {
      // Inputs are never logged: they can hold passwords.
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
