// The one pipeline of every route handler under app/api. In order: a state change from another
// origin is refused; the session is read (and required, where the route says so); a declared body
// over the route's limit is refused before anything else is read. Errors are answered here and
// nowhere else: an AppError with the HTTP status the tRPC endpoint gives its code (server/errors.ts),
// anything else with a 500 that says nothing of what failed. Error bodies are
// `{ error: { code, message } }`, never cached.
import "server-only";
import { isAllowedRequestOrigin } from "@/server/auth/request-origin";
import { validateRequestSession, type ValidSession } from "@/server/auth/sessions";
import { type Actor, person, type PersonActor, visitor } from "@/server/data/actor";
import { serverEnv } from "@/server/env";
import { AppError, type AppErrorCode } from "@/server/errors";
import { readBodyWithin } from "./read-body-within";

export interface RouteOptions {
  /** "required": no session is a 401 before the handler runs, and the handler gets a person. */
  auth: "required" | "optional";
  /** Refuse POST, PUT, DELETE and the like unless Origin names this server (GET and HEAD pass). */
  sameOrigin: boolean;
  /** The dynamic segments of the route's path, handed over as `params`. */
  params?: readonly string[];
  /** The most bytes `readBody` takes; a larger declared or actual body is a 413. */
  bodyLimit?: number;
  /** The refusal for a body over the limit, when the route has a more telling one than BODY_TOO_LARGE. */
  tooLarge?: () => AppError;
}

type Authenticated<O extends RouteOptions> = O["auth"] extends "required"
  ? { session: ValidSession; actor: PersonActor }
  : { session: ValidSession | null; actor: Actor };

type ParamsOf<O extends RouteOptions> = O["params"] extends readonly (infer K extends string)[] ? Record<K, string> : Record<never, string>;

export type RouteArgs<O extends RouteOptions> = Authenticated<O> & {
  request: Request;
  params: ParamsOf<O>;
} & (O["bodyLimit"] extends number
    ? {
        /**
         * The whole body, read within `bodyLimit`.
         * @throws AppError (413) past the limit | REQUEST_INVALID when shorter than its Content-Length
         */
        readBody(): Promise<Uint8Array<ArrayBuffer>>;
      }
    : unknown);

/** Next's second argument; optional so that tests can call a route without segments with a request alone. */
export interface RouteContext<O extends RouteOptions> {
  params: Promise<ParamsOf<O>>;
}

/** A route handler running `handle` inside the pipeline described at the top of this file. */
export function routeHandler<const O extends RouteOptions>(
  options: O,
  handle: (args: RouteArgs<O>) => Promise<Response>,
): (request: Request, context?: RouteContext<O>) => Promise<Response> {
  return async (request, context) => {
    try {
      const refusal = options.sameOrigin ? originRefusal(request) : null;
      if (refusal) throw refusal;
      const session = await validateRequestSession(request.headers);
      if (!session && options.auth === "required") throw new AppError("UNAUTHENTICATED", "Log in to continue.");
      const body = options.bodyLimit === undefined ? null : boundedBody(request, options.bodyLimit, options.tooLarge);
      const args = {
        request,
        params: await paramsOf(options, context),
        session,
        actor: session ? person(session.account.id) : visitor,
        ...(body && { readBody: body }),
      };
      // The checks above are what the conditional types of RouteArgs promise.
      return await handle(args as unknown as RouteArgs<O>);
    } catch (error) {
      return errorResponse(error, request);
    }
  };
}

/** FORBIDDEN_ORIGIN for a state change from another origin; null when the request may proceed. */
export function originRefusal(request: Request): AppError | null {
  return isAllowedRequestOrigin(request, { trustProxy: serverEnv().HEARTH_TRUST_PROXY })
    ? null
    : new AppError("FORBIDDEN_ORIGIN", "Cross-origin request refused.");
}

/** The JSON error body every route handler answers with. */
export function jsonError(status: number, code: AppErrorCode | "INTERNAL", message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { "Cache-Control": "no-store" } });
}

function errorResponse(error: unknown, request: Request): Response {
  if (error instanceof AppError) {
    const response = jsonError(error.httpStatus, error.code, error.message);
    const retryAfter = error.details.retryAfterSeconds;
    if (retryAfter !== undefined) response.headers.set("Retry-After", String(retryAfter));
    return response;
  }
  console.error(`${request.method} ${new URL(request.url).pathname} failed:`, error);
  return jsonError(500, "INTERNAL", "Something went wrong on our side.");
}

async function paramsOf<O extends RouteOptions>(options: O, context: RouteContext<O> | undefined): Promise<ParamsOf<O>> {
  const raw: Record<string, unknown> = context ? await context.params : {};
  for (const name of options.params ?? []) {
    if (typeof raw[name] !== "string") throw new Error(`Route segment "${name}" is missing.`);
  }
  return raw as ParamsOf<O>;
}

function bodyTooLarge(limit: number): AppError {
  return new AppError("BODY_TOO_LARGE", `The body can be at most ${limit} bytes.`);
}

/** Content-Length as a number (null when absent), refused when malformed or over the limit. */
function declaredLengthOf(request: Request, limit: number, tooLarge: () => AppError): number | null {
  const header = request.headers.get("content-length");
  if (header === null) return null;
  const length = /^[0-9]{1,15}$/.test(header) ? Number(header) : NaN;
  if (!Number.isSafeInteger(length)) throw new AppError("REQUEST_INVALID", "Content-Length is not a byte count.");
  if (length > limit) throw tooLarge();
  return length;
}

/**
 * The whole body within `limit` bytes, read as the pipeline reads it, for an endpoint outside it
 * (the tRPC endpoint).
 * @throws AppError BODY_TOO_LARGE past the limit | REQUEST_INVALID when Content-Length is malformed or unmet, or the body broke off
 */
export async function readBodyOf(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  return boundedBody(request, limit)();
}

/**
 * Checks the declared Content-Length now (so an oversized upload is refused before anything else
 * is read) and returns the reader of the body.
 */
function boundedBody(request: Request, limit: number, refusal?: () => AppError): () => Promise<Uint8Array<ArrayBuffer>> {
  const tooLarge = refusal ?? (() => bodyTooLarge(limit));
  const declaredLength = declaredLengthOf(request, limit, tooLarge);
  return () => readBody(request, limit, declaredLength, tooLarge);
}

/** Content-Length is only a hint: the bytes are counted as they arrive, and must add up to it. */
async function readBody(request: Request, limit: number, declaredLength: number | null, tooLarge: () => AppError): Promise<Uint8Array<ArrayBuffer>> {
  // A body that breaks off (the client went away mid-upload) is the client's failure, not a 500.
  const body = await readBodyWithin(request, limit).catch(() => {
    throw new AppError("REQUEST_INVALID", "The body broke off before its end.");
  });
  if (!body) throw tooLarge();
  if (declaredLength !== null && body.byteLength !== declaredLength) {
    throw new AppError("REQUEST_INVALID", "The body is not as long as its Content-Length says.");
  }
  return body;
}
