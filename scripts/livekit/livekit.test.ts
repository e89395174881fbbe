// The real LiveKit server, as `npm start` and the call tests run it: it answers on loopback and
// nowhere else, its key pair is private to its data folder and kept between starts, another port
// is taken when 7880 is busy, and Hearth's API key can create, list and delete rooms with a cap.
// Without a LiveKit binary this file is skipped, saying why, except in CI, where calls must be tested.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { RoomServiceClient } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolEnv } from "../tool-env";
import { findLivekitServer, GET_LIVEKIT_HELP } from "./find-livekit";
import { type LocalLivekit, startLivekit } from "./start-livekit";

const binary = findLivekitServer();
if (!binary && toolEnv().CI) throw new Error(`CI must test calls against a real LiveKit server.\n${GET_LIVEKIT_HELP}`);
if (!binary) console.warn(`scripts/livekit/livekit.test.ts is skipped: no LiveKit server.\n${GET_LIVEKIT_HELP}`);

describe.skipIf(!binary)("the local LiveKit server", () => {
  let dataDir = "";
  let livekit: LocalLivekit;
  let rooms: RoomServiceClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "hearth-livekit-"));
    livekit = await startLivekit({ binary: binary!, dataDir });
    rooms = new RoomServiceClient(livekit.url, livekit.apiKey, livekit.apiSecret, { failover: false });
  });

  afterAll(async () => {
    await livekit?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("creates a room with a participant cap and an empty timeout, lists it, and deletes it", async () => {
    const name = randomBytes(16).toString("hex");
    const created = await rooms.createRoom({ name, maxParticipants: 2, emptyTimeout: 60 });
    expect(created).toMatchObject({ name, maxParticipants: 2, emptyTimeout: 60 });
    expect((await rooms.listRooms([name])).map((room) => room.name)).toEqual([name]);
    await rooms.deleteRoom(name);
    expect(await rooms.listRooms([name])).toEqual([]);
  });

  it("refuses a key pair it does not know", async () => {
    const stranger = new RoomServiceClient(livekit.url, livekit.apiKey, randomBytes(32).toString("base64url"), { failover: false });
    await expect(stranger.listRooms()).rejects.toMatchObject({ status: 401 });
  });

  it("answers on loopback only", async () => {
    expect(livekit.url).toBe(`ws://127.0.0.1:${livekit.port}`);
    expect((await fetch(`http://127.0.0.1:${livekit.port}/`)).ok).toBe(true);
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === "IPv4" && !address.internal);
    if (outside) {
      await expect(fetch(`http://${outside.address}:${livekit.port}/`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    }
  });

  it("keeps its key pair private to the data folder, and the same across starts", async () => {
    for (const file of ["dev-keys.json", "livekit.yaml"]) {
      expect((await stat(path.join(dataDir, "livekit", file))).mode & 0o077, file).toBe(0);
    }
    // A second server on the same folder, while the first holds its port: same keys, another port.
    const busy: Server = createServer();
    const busyPort = await new Promise<number>((resolve) => busy.listen(0, "127.0.0.1", () => resolve((busy.address() as { port: number }).port)));
    const second = await startLivekit({ binary: binary!, dataDir, port: busyPort });
    try {
      expect(second.port).not.toBe(busyPort);
      expect({ apiKey: second.apiKey, apiSecret: second.apiSecret }).toEqual({ apiKey: livekit.apiKey, apiSecret: livekit.apiSecret });
      expect(second.apiSecret.length).toBeGreaterThanOrEqual(32);
    } finally {
      await second.stop();
      busy.close();
    }
    expect(await fetch(`http://127.0.0.1:${second.port}/`).catch(() => "stopped")).toBe("stopped");
  });
});
