// tRPC setup: the request context, the error mapping and the procedure builders.
// Invariants: every procedure validates its input with zod; AppError codes become tRPC codes here
// and nowhere else; protectedProcedure guarantees a live session to its handlers, and the one actor
// (server/data/actor.ts) they pass to the data layer as who is asking.
import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import { z, ZodError } from "zod";
import { localeCookieName, type Locale } from "@/app/_shared/isomorphic/locales";
import { CLIENT_IP_HEADER } from "./auth/client-ip";
import { readSessionToken, serializeClearedSessionCookie } from "./auth/session-cookie";
import { validateSessionToken } from "./auth/sessions";
import { person } from "./data/actor";
import { isProduction, secureTransportEnabled, serverEnv } from "./env";
import { AppError } from "./errors";

export interface CreateContextOptions {
  headers: Headers;
  /** Response headers, for Set-Cookie; null where no response can carry them (server components). */
  resHeaders: Headers | null;
}

export async function createTRPCContext({ headers, resHeaders }: CreateContextOptions) {
  const token = readSessionToken(headers.get("cookie"));
  const auth = token ? await validateSessionToken(token) : null;
  if (token && !auth) resHeaders?.append("Set-Cookie", serializeClearedSessionCookie());
  return {
    headers,
    auth,
    now: () => requestTime(headers),
    clientIp: headers.get(CLIENT_IP_HEADER) ?? "unknown",
    userAgent: headers.get("user-agent"),
    setCookie(serialized: string) {
      resHeaders?.append("Set-Cookie", serialized);
    },
    setLocaleCookie(locale: Locale | null) {
      const secure = secureTransportEnabled() ? "; Secure" : "";
      const value = locale ? `${locale}; Max-Age=31536000` : "; Max-Age=0";
      resHeaders?.append("Set-Cookie", `${localeCookieName}=${value}; Path=/; SameSite=Lax${secure}`);
    },
  };
}

/**
 * The time a request acts at. Browser tests that must move past a deadline (a story's 24 hours)
 * set it per request with a header, honoured only when the server was started with
 * HEARTH_TEST_CLOCK=1, which server/env.ts refuses in production outside a test server.
 */
function requestTime(headers: Headers): Date {
  if (serverEnv().HEARTH_TEST_CLOCK) {
    const injected = headers.get("x-hearth-test-now");
    if (injected && !Number.isNaN(Date.parse(injected))) return new Date(injected);
  }
  return new Date();
}

export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;

function fieldErrorsOf(cause: unknown): Record<string, string[]> | null {
  if (cause instanceof ZodError) return z.flattenError(cause).fieldErrors as Record<string, string[]>;
  if (cause instanceof AppError && cause.details.field) {
    return { [cause.details.field]: [cause.code.toLowerCase()] };
  }
  return null;
}

const t = initTRPC.context<TRPCContext>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const hideMessage = error.code === "INTERNAL_SERVER_ERROR" && isProduction();
    let message = shape.message;
    if (hideMessage) message = "Something went wrong on our side.";
    else if (cause instanceof ZodError) message = "Some fields are invalid; see data.fieldErrors.";
    return {
      ...shape,
      message,
      data: {
        ...shape.data,
        stack: isProduction() ? undefined : shape.data.stack,
        appCode: cause instanceof AppError ? cause.code : null,
        retryAfterSeconds: cause instanceof AppError ? (cause.details.retryAfterSeconds ?? null) : null,
        fieldErrors: fieldErrorsOf(cause),
      },
    };
  },
});

/** Turns AppError into the matching tRPC error, keeping it as the cause for the formatter. */
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.trpcCode, message: cause.message, cause });
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(mapAppErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.auth) throw new AppError("UNAUTHENTICATED", "Log in to continue.");
  return next({ ctx: { ...ctx, auth: ctx.auth, actor: person(ctx.auth.account.id) } });
});
