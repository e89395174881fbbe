// Calls on a server without a working LiveKit: where none is configured, the app says so with its
// own code (NOT_CONFIGURED, 412) and everything else works; where the configured one is down, a
// join is refused as CALLS_UNAVAILABLE (503), quickly, never as a 500. Each case reloads the server
// code under its own environment, since the server reads its environment once.
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { TRPCError } from "@trpc/server";
import { afterEach, describe, expect, it, vi } from "vitest";

const LIVEKIT_VARIABLES = ["LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"] as const;

/** The server's code, loaded afresh with these LiveKit variables (all unset when none are given). */
async function serverWith(livekit: Partial<Record<(typeof LIVEKIT_VARIABLES)[number], string>> = {}) {
  vi.resetModules();
  for (const name of LIVEKIT_VARIABLES) vi.stubEnv(name, livekit[name]);
  const { signedUpPerson } = await import("../../testing/test-browser");
  const { POST: webhook } = await import("@/app/api/calls/webhook/route");
  return { person: await signedUpPerson(), webhook };
}

/** The tRPC code and app code a call was refused with. */
async function refusalOf(call: Promise<unknown>): Promise<{ code: string; appCode: string }> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return { code: (error as TRPCError).code, appCode: ((error as TRPCError).cause as unknown as { code: string }).code };
}

const join = { room: randomBytes(16).toString("hex"), kind: "video", maxParticipants: 2 } as const;

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("without LIVEKIT_URL", () => {
  it("says calls are not configured, with its own code, and the webhook too", async () => {
    const { person, webhook } = await serverWith();
    expect(await person.call((api) => api.calls.configured())).toEqual({ configured: false, url: null });
    expect(await refusalOf(person.call((api) => api.calls.join(join)))).toEqual({ code: "PRECONDITION_FAILED", appCode: "NOT_CONFIGURED" });
    const response = await webhook(new Request("http://localhost:3000/api/calls/webhook", { method: "POST", body: "{}", headers: { authorization: "x" } }));
    expect(response.status).toBe(412);
    expect(await response.json()).toMatchObject({ error: { code: "NOT_CONFIGURED" } });
    // The rest of the app is untouched.
    expect((await person.call((api) => api.auth.me()))?.userId).toBe(person.id);
  });
});

describe("with a LiveKit server that is down", () => {
  it("refuses a join as CALLS_UNAVAILABLE within seconds, never as a 500", async () => {
    // A port that was free a moment ago: nothing answers there.
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const { person } = await serverWith({
      LIVEKIT_URL: `ws://127.0.0.1:${closedPort}`,
      LIVEKIT_API_KEY: "hearth-test",
      LIVEKIT_API_SECRET: randomBytes(32).toString("base64url"),
    });
    expect(await person.call((api) => api.calls.configured())).toEqual({ configured: true, url: `ws://127.0.0.1:${closedPort}` });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const started = Date.now();
    expect(await refusalOf(person.call((api) => api.calls.join(join)))).toEqual({ code: "SERVICE_UNAVAILABLE", appCode: "CALLS_UNAVAILABLE" });
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("[calls] creating a room on the LiveKit server failed"));
    errors.mockRestore();
  });
});
