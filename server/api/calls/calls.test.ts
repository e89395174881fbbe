// Calls against a real LiveKit server (started here as `npm start` starts it, its webhooks posted to
// the real route handler): no token without a session; a token admits its bearer to its one room
// only, for ten minutes, under a participant id that is new every time and names nobody; LiveKit
// accepts it; rooms are made with their cap and empty timeout, and nobody can make one by joining;
// LiveKit's own webhooks are accepted and forged ones refused. Without a LiveKit binary this file is
// skipped, saying why, except in CI. calls-without-livekit.test.ts covers a server without one.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { AccessToken, RoomServiceClient, TokenVerifier } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as webhookRoute } from "@/app/api/calls/webhook/route";
import { findLivekitServer, GET_LIVEKIT_HELP } from "@/scripts/livekit/find-livekit";
import { type LocalLivekit, startLivekit } from "@/scripts/livekit/start-livekit";
import { toolEnv } from "@/scripts/tool-env";
import { CALL_ROOM_EMPTY_TIMEOUT_SECONDS } from "../../calls/ensure-call-room";
import { CALL_TOKEN_TTL_SECONDS } from "../../calls/mint-call-token";
import { signedUpPerson, testBrowser, type TestPerson } from "../../testing/test-browser";
import { expectError } from "../chat/chat-testing";

const binary = findLivekitServer();
if (!binary && toolEnv().CI) throw new Error(`CI must test calls against a real LiveKit server.\n${GET_LIVEKIT_HELP}`);
if (!binary) console.warn(`server/api/calls/calls.test.ts is skipped: no LiveKit server.\n${GET_LIVEKIT_HELP}`);

const newRoom = () => randomBytes(16).toString("hex");

interface JwtPayload {
  sub?: string;
  iss?: string;
  name?: string;
  nbf: number;
  exp: number;
  video?: Record<string, unknown>;
  [claim: string]: unknown;
}

/** A token's claims as LiveKit reads them, signature unchecked (the verifier below checks it). */
function claimsOf(token: string): JwtPayload {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as JwtPayload;
}

/** A webhook's Authorization header as LiveKit makes it: a token of the key pair carrying the body's SHA-256. */
async function signWebhook(body: string, apiKey: string, apiSecret: string): Promise<string> {
  const token = new AccessToken(apiKey, apiSecret, { ttl: 300 });
  token.sha256 = createHash("sha256").update(body).digest("base64");
  return token.toJwt();
}

describe.skipIf(!binary)("calls on a real LiveKit server", () => {
  let dataDir = "";
  let livekit: LocalLivekit;
  let rooms: RoomServiceClient;
  let alice: TestPerson;
  /** What the webhook route answered to each of LiveKit's own webhooks, in order. */
  const delivered: { event: string; status: number }[] = [];
  let hook: Server;

  /** LiveKit's webhooks, handed to the real route handler. */
  async function startWebhookReceiver(): Promise<string> {
    hook = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const headers = new Headers(
        Object.entries(req.headers).flatMap(([name, value]): [string, string][] => (typeof value === "string" ? [[name, value]] : [])),
      );
      const response = await webhookRoute(new Request(`http://localhost${req.url}`, { method: "POST", headers, body }));
      delivered.push({ event: (JSON.parse(body.toString("utf8")) as { event: string }).event, status: response.status });
      res.writeHead(response.status).end();
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(hook.address() as { port: number }).port}/api/calls/webhook`;
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "hearth-calls-"));
    livekit = await startLivekit({ binary: binary!, dataDir, webhookUrl: await startWebhookReceiver() });
    // Before the server code first reads its environment, as `npm start` does.
    Object.assign(process.env, { LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: livekit.apiKey, LIVEKIT_API_SECRET: livekit.apiSecret });
    rooms = new RoomServiceClient(livekit.url, livekit.apiKey, livekit.apiSecret, { failover: false });
    alice = await signedUpPerson();
  });

  afterAll(async () => {
    await livekit?.stop();
    hook?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("gives no token, and not even the server's address, to someone not signed in", async () => {
    const visitor = testBrowser();
    await expectError(
      visitor.call((api) => api.calls.join({ room: newRoom(), kind: "video", maxParticipants: 2 })),
      "UNAUTHORIZED",
      "UNAUTHENTICATED",
    );
    await expectError(
      visitor.call((api) => api.calls.configured()),
      "UNAUTHORIZED",
      "UNAUTHENTICATED",
    );
    expect(await alice.call((api) => api.calls.configured())).toEqual({ configured: true, url: livekit.url });
  });

  it("mints a token for one room only, for ten minutes, under a new participant id that names nobody", async () => {
    const room = newRoom();
    const first = await alice.call((api) => api.calls.join({ room, kind: "video", maxParticipants: 2 }));
    const second = await alice.call((api) => api.calls.join({ room, kind: "video", maxParticipants: 2 }));
    expect(first.url).toBe(livekit.url);

    const verified = await new TokenVerifier(livekit.apiKey, livekit.apiSecret).verify(first.token);
    expect(verified.sub).toBe(first.participantId);
    await expect(new TokenVerifier(livekit.apiKey, randomBytes(32).toString("base64url")).verify(first.token)).rejects.toThrow();

    const claims = claimsOf(first.token);
    expect(claims.video).toEqual({
      room,
      roomJoin: true,
      canPublish: true,
      canPublishSources: ["microphone", "camera", "screen_share", "screen_share_audio"],
      canSubscribe: true,
      canPublishData: true,
    });
    expect(claims.exp - claims.nbf).toBe(CALL_TOKEN_TTL_SECONDS);
    expect(claims.exp * 1000 - Date.now()).toBeLessThanOrEqual(10 * 60 * 1000);
    expect(claims.name).toBeUndefined();
    expect(claims.metadata).toBeUndefined();
    expect(first.participantId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(second.participantId).not.toBe(first.participantId);
    const everything = JSON.stringify([claims, first.participantId]);
    for (const own of [alice.id, alice.id.replaceAll("-", ""), alice.handle, alice.email]) expect(everything).not.toContain(own);
  });

  it("lets a voice call publish sound only", async () => {
    const { token } = await alice.call((api) => api.calls.join({ room: newRoom(), kind: "audio", maxParticipants: 2 }));
    expect(claimsOf(token).video).toMatchObject({ canPublish: true, canPublishSources: ["microphone"] });
  });

  it("makes the room with its cap and empty timeout, keeps the first cap, and LiveKit admits the token to it", async () => {
    const room = newRoom();
    const { token } = await alice.call((api) => api.calls.join({ room, kind: "video", maxParticipants: 3 }));
    await alice.call((api) => api.calls.join({ room, kind: "video", maxParticipants: 50 }));
    const [made] = await rooms.listRooms([room]);
    expect(made).toMatchObject({ name: room, maxParticipants: 3, emptyTimeout: CALL_ROOM_EMPTY_TIMEOUT_SECONDS });

    const validate = (accessToken: string) => fetch(`http://127.0.0.1:${livekit.port}/rtc/validate?access_token=${accessToken}`);
    const admitted = await validate(token);
    expect(await admitted.text()).toBe("success");
    expect(admitted.status).toBe(200);
    // A token of Hearth's own key pair for a room Hearth never made: LiveKit makes no room on join.
    const unmade = new AccessToken(livekit.apiKey, livekit.apiSecret, { identity: "someone", ttl: 60 });
    unmade.addGrant({ room: newRoom(), roomJoin: true });
    expect((await validate(await unmade.toJwt())).status).toBe(404);
    // The same grant signed with another secret.
    const forged = new AccessToken(livekit.apiKey, randomBytes(32).toString("base64url"), { identity: "someone", ttl: 60 });
    forged.addGrant({ room, roomJoin: true });
    expect((await validate(await forged.toJwt())).status).toBe(401);
  });

  it("accepts LiveKit's own webhooks, and refuses unsigned, forged and altered ones with 401", async () => {
    const room = newRoom();
    await alice.call((api) => api.calls.join({ room, kind: "audio", maxParticipants: 2 }));
    await rooms.deleteRoom(room);
    await expect.poll(() => delivered.map((d) => d.event), { timeout: 10_000 }).toEqual(expect.arrayContaining(["room_started", "room_finished"]));
    expect(delivered.every((d) => d.status === 200)).toBe(true);

    const body = JSON.stringify({ event: "room_finished", room: { name: room }, id: "EV_test", createdAt: String(Math.floor(Date.now() / 1000)) });
    const post = (authorization: string | null, sent = body) =>
      webhookRoute(
        new Request("http://localhost:3000/api/calls/webhook", {
          method: "POST",
          body: sent,
          headers: { "content-type": "application/webhook+json", ...(authorization && { authorization }) },
        }),
      );
    const signed = await signWebhook(body, livekit.apiKey, livekit.apiSecret);
    expect((await post(signed)).status).toBe(200);
    expect((await post(null)).status).toBe(401);
    expect((await post("not a token")).status).toBe(401);
    expect((await post(await signWebhook(body, livekit.apiKey, randomBytes(32).toString("base64url")))).status).toBe(401);
    expect((await post(await signWebhook(body, "another-key", livekit.apiSecret))).status).toBe(401);
    expect((await post(signed, body.replace("room_finished", "room_started"))).status).toBe(401);
  });
});
