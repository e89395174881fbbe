// The route pipeline on its own: routes made for the test, real requests, real sessions on the
// test database, and the real tRPC fetch adapter to compare statuses with.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError, type AppErrorCode } from "@/server/errors";
import { sessionCookieName } from "@/server/auth/session-cookie";
import { signedUpPerson } from "@/server/testing/test-browser";
import { createTRPCContext, createTRPCRouter, publicProcedure } from "@/server/trpc";
import { routeHandler } from "./route-handler";

const ORIGIN = "http://localhost:3000";
const SAME_ORIGIN = { origin: ORIGIN, host: "localhost:3000" };
const FOREIGN = { origin: "https://evil.example", host: "localhost:3000" };

// A Record, so that a code added to server/errors.ts without a case here fails to compile.
const EVERY_CODE: Record<AppErrorCode, null> = {
  INVALID_CREDENTIALS: null,
  ACCOUNT_SUSPENDED: null,
  UNAUTHENTICATED: null,
  HANDLE_TAKEN: null,
  EMAIL_UNAVAILABLE: null,
  RATE_LIMITED: null,
  NOT_FOUND: null,
  FORBIDDEN: null,
  BLOCKED: null,
  MEDIA_INVALID: null,
  CURSOR_INVALID: null,
  MEDIA_TOO_LARGE: null,
  FORBIDDEN_ORIGIN: null,
  LINK_SLOT_TAKEN: null,
  LINK_OUT_OF_ORDER: null,
  BACKUP_VERSION_CONFLICT: null,
  REQUEST_INVALID: null,
  BODY_TOO_LARGE: null,
  QUOTA_EXCEEDED: null,
  UPLOAD_OFFSET_MISMATCH: null,
  NOT_CONFIGURED: null,
  CALLS_UNAVAILABLE: null,
  CODE_INVALID: null,
  PASSKEY_INVALID: null,
  LOG_IN_EXPIRED: null,
  TWO_FACTOR_STATE: null,
  MAIL_NOT_CONFIGURED: null,
  LINK_INVALID: null,
};

function request(method: string, headers: Record<string, string> = {}, body?: BodyInit): Request {
  const init: RequestInit & { duplex?: "half" } = { method, headers, body };
  if (body instanceof ReadableStream) init.duplex = "half";
  return new Request(`${ORIGIN}/api/test`, init);
}

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const { error } = (await response.json()) as { error: { code: string; message: string } };
  expect(response.headers.get("cache-control")).toBe("no-store");
  return { status: response.status, code: error.code, message: error.message };
}

const whoIsAsking = (options: { auth: "required" | "optional"; sameOrigin: boolean }) =>
  routeHandler(options, async ({ actor, session }) => Response.json({ actor, handle: session?.account.handle ?? null }));

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the route pipeline", () => {
  it("answers 401 without a valid session where one is required, and gives a visitor where it is optional", async () => {
    const required = whoIsAsking({ auth: "required", sameOrigin: true });
    expect(await errorOf(await required(request("GET")))).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    expect((await required(request("GET", { cookie: `${sessionCookieName()}=forged` }))).status).toBe(401);

    const optional = whoIsAsking({ auth: "optional", sameOrigin: true });
    expect(await (await optional(request("GET"))).json()).toEqual({ actor: { kind: "visitor" }, handle: null });

    const alice = await signedUpPerson();
    for (const route of [required, optional]) {
      const response = await route(request("GET", { cookie: alice.browser.cookie }));
      expect(await response.json()).toEqual({ actor: { kind: "person", userId: alice.id }, handle: alice.handle });
    }
  });

  it("refuses a state change from another origin with 403 before reading the session, unless the route allows it", async () => {
    const alice = await signedUpPerson();
    const run = vi.fn(async () => new Response(null, { status: 204 }));
    const guarded = routeHandler({ auth: "required", sameOrigin: true }, run);
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      expect(await errorOf(await guarded(request(method, { cookie: alice.browser.cookie, ...FOREIGN })))).toMatchObject({
        status: 403,
        code: "FORBIDDEN_ORIGIN",
      });
      // Signed out and from elsewhere: the origin is what is refused.
      expect((await guarded(request(method, FOREIGN))).status).toBe(403);
      expect((await guarded(request(method, { cookie: alice.browser.cookie }))).status).toBe(403);
    }
    expect(run).not.toHaveBeenCalled();
    expect((await guarded(request("GET", { cookie: alice.browser.cookie, ...FOREIGN }))).status).toBe(204);
    expect((await guarded(request("POST", { cookie: alice.browser.cookie, ...SAME_ORIGIN }))).status).toBe(204);

    const open = routeHandler({ auth: "optional", sameOrigin: false }, run);
    expect((await open(request("POST", FOREIGN))).status).toBe(204);
  });

  it("answers each AppError code with the status the tRPC endpoint gives it, and its Retry-After", async () => {
    const router = createTRPCRouter({
      fail: publicProcedure.input(z.string()).query(({ input }) => {
        throw new AppError(input as AppErrorCode, "refused");
      }),
    });
    const viaTrpc = (code: string) =>
      fetchRequestHandler({
        endpoint: "/api/trpc",
        req: new Request(`${ORIGIN}/api/trpc/fail?input=${encodeURIComponent(JSON.stringify(code))}`),
        router,
        createContext: ({ resHeaders }) => createTRPCContext({ headers: new Headers(), resHeaders }),
      });
    for (const code of Object.keys(EVERY_CODE) as AppErrorCode[]) {
      const route = routeHandler({ auth: "optional", sameOrigin: true }, async () => {
        throw new AppError(code, "refused", { retryAfterSeconds: 42 });
      });
      const trpcStatus = (await viaTrpc(code)).status;
      const response = await route(request("GET"));
      expect(response.headers.get("retry-after"), code).toBe("42");
      expect(await errorOf(response), code).toEqual({ status: trpcStatus, code, message: "refused" });
    }
    // Spot checks, so that the comparison cannot pass with both sides wrong.
    expect((await viaTrpc("UNAUTHENTICATED")).status).toBe(401);
    expect((await viaTrpc("BACKUP_VERSION_CONFLICT")).status).toBe(409);
    expect((await viaTrpc("MEDIA_TOO_LARGE")).status).toBe(413);
    expect((await viaTrpc("RATE_LIMITED")).status).toBe(429);
  });

  it("reads a body within its limit and refuses a larger one with 413, whether declared or streamed", async () => {
    const route = routeHandler({ auth: "optional", sameOrigin: true, bodyLimit: 1000 }, async ({ readBody }) => {
      const body = await readBody();
      return Response.json({ bytes: body.byteLength });
    });
    const post = (body: BodyInit, headers: Record<string, string> = {}) => route(request("POST", { ...SAME_ORIGIN, ...headers }, body));
    expect(await (await post(new Uint8Array(1000), { "content-length": "1000" })).json()).toEqual({ bytes: 1000 });

    expect(await errorOf(await post(new Uint8Array(10), { "content-length": "1001" }))).toMatchObject({ status: 413, code: "BODY_TOO_LARGE" });
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent++;
        controller.enqueue(new Uint8Array(300));
      },
    });
    expect(await errorOf(await post(endless))).toMatchObject({ status: 413, code: "BODY_TOO_LARGE" });
    expect(sent).toBeLessThan(6);

    // Content-Length is checked, not trusted.
    expect(await errorOf(await post(new Uint8Array(10), { "content-length": "20" }))).toMatchObject({ status: 400, code: "REQUEST_INVALID" });
    expect(await errorOf(await post(new Uint8Array(10), { "content-length": "1e1" }))).toMatchObject({ status: 400, code: "REQUEST_INVALID" });

    const media = routeHandler(
      { auth: "optional", sameOrigin: true, bodyLimit: 10, tooLarge: () => new AppError("MEDIA_TOO_LARGE", "Too big.") },
      async ({ readBody }) => new Response((await readBody()).byteLength.toString()),
    );
    const tooBig = await media(request("POST", SAME_ORIGIN, new Uint8Array(11)));
    expect(await errorOf(tooBig)).toEqual({ status: 413, code: "MEDIA_TOO_LARGE", message: "Too big." });
  });

  it("answers an unexpected error with a 500 that does not repeat its message, and logs it", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const route = routeHandler({ auth: "optional", sameOrigin: true }, async () => {
      throw new Error("connection to 10.0.0.5 refused for user hearth_admin");
    });
    const response = await route(request("GET"));
    const error = await errorOf(response);
    expect(error).toMatchObject({ status: 500, code: "INTERNAL" });
    expect(error.message).not.toContain("10.0.0.5");
    expect(logged).toHaveBeenCalledWith("GET /api/test failed:", expect.objectContaining({ message: expect.stringContaining("10.0.0.5") }));
  });

  it("hands the route its path segments", async () => {
    const route = routeHandler({ auth: "optional", sameOrigin: true, params: ["id"] }, async ({ params }) => new Response(params.id));
    expect(await (await route(request("GET"), { params: Promise.resolve({ id: "abc" }) })).text()).toBe("abc");
  });
});
