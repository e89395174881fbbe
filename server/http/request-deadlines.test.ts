// Slow clients against the server scripts/start.ts serves Hearth with (createGuardedServer): raw
// sockets send headers or a body too slowly, or stop, and must be answered 408 and cut off within
// the bound, while other clients are served meanwhile. The deadlines are scaled down to seconds
// here; the production values are the defaults checked first.
import { connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardedServer, REQUEST_DEADLINES, type RequestDeadlines } from "./request-deadlines";

const FAST: RequestDeadlines = { headersMs: 1_000, requestMs: 6_000, stallMs: 1_000, minBytesPerSecond: 1024, graceMs: 2_000 };
/** How late past a bound the server may act: its check runs every 100 ms; loaded CI machines are slow. */
const SLACK_MS = 1_500;

let server: Server;
let port: number;
const handlerErrors: unknown[] = [];

beforeAll(async () => {
  // Like Hearth's route handlers: read the whole body, then answer. A body cut off ends in an error the handler swallows.
  server = createGuardedServer((req, res) => {
    void (async () => {
      let bytes = 0;
      try {
        for await (const chunk of req) bytes += (chunk as Buffer).length;
      } catch {
        return;
      }
      try {
        res.writeHead(200, { "content-type": "text/plain" }).end(`read ${bytes}`);
      } catch (error) {
        handlerErrors.push(error);
      }
    })();
  }, FAST);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw connection: what it was sent back, and when the server closed it. */
function open(): { socket: Socket; received: () => string; closed: Promise<number> } {
  const socket = connect(port, "127.0.0.1");
  let text = "";
  socket.on("data", (chunk) => (text += chunk.toString("latin1")));
  socket.on("error", () => {});
  const closed = new Promise<number>((resolve) => socket.on("close", () => resolve(Date.now())));
  return { socket, received: () => text, closed };
}

/** A normal request from another client, answered at once while slow ones hang on. */
async function promptAnswer(): Promise<void> {
  const started = Date.now();
  const response = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "hello" });
  expect(await response.text()).toBe("read 5");
  expect(Date.now() - started).toBeLessThan(1_000);
}

const POST = (length: number) =>
  `POST /api/chat/backup/state HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\nContent-Length: ${length}\r\n\r\n`;

describe("slow clients", () => {
  it("production: headers within 20 s, a body never stalled 20 s nor under 4 KiB/s after 30 s, the whole request within 15 minutes", () => {
    const production = createGuardedServer(() => {});
    expect(production.headersTimeout).toBe(20_000);
    expect(production.requestTimeout).toBe(15 * 60_000);
    expect(REQUEST_DEADLINES).toMatchObject({ stallMs: 20_000, minBytesPerSecond: 4096, graceMs: 30_000 });
  });

  it("headers sent a few bytes at a time are cut at the headers deadline", async () => {
    const client = open();
    const started = Date.now();
    const header = "POST / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
    client.socket.write(header);
    const trickle = setInterval(() => client.socket.writable && client.socket.write("a"), 200);
    await sleep(300);
    await promptAnswer();
    const closedAt = await client.closed;
    clearInterval(trickle);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAt - started).toBeLessThan(FAST.headersMs + SLACK_MS);
  });

  it("a body that stops arriving is answered 408 and closed after the stall deadline", async () => {
    const client = open();
    const started = Date.now();
    client.socket.write(POST(100_000) + "x".repeat(1_000));
    await sleep(300);
    await promptAnswer();
    const closedAt = await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    expect(closedAt - started).toBeGreaterThanOrEqual(FAST.stallMs);
    expect(closedAt - started).toBeLessThan(FAST.stallMs + SLACK_MS);
  });

  it("a body trickling in, never stalled but under the minimum pace, is cut after the grace period", async () => {
    const client = open();
    const started = Date.now();
    client.socket.write(POST(100_000));
    // 10 bytes every 100 ms: 100 B/s, a tenth of the pace, never quiet long enough to stall.
    const trickle = setInterval(() => client.socket.writable && client.socket.write("y".repeat(10)), 100);
    await sleep(500);
    await promptAnswer();
    const closedAt = await client.closed;
    clearInterval(trickle);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAt - started).toBeGreaterThanOrEqual(FAST.graceMs);
    expect(closedAt - started).toBeLessThan(FAST.graceMs + SLACK_MS);
  });

  it("a body sent at a steady pace above the minimum is read whole and answered", async () => {
    const client = open();
    const chunk = "z".repeat(2_048);
    client.socket.write(POST(chunk.length * 15));
    // 2 KiB every 200 ms (10 KiB/s) for 3 s: past the grace period, above the pace, never stalled.
    for (let i = 0; i < 15; i++) {
      client.socket.write(chunk);
      await sleep(200);
    }
    await expect.poll(client.received, { timeout: 2_000 }).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*read 30720\r\n/);
    client.socket.destroy();
  });

  it("a request slower than the whole-request deadline is cut however steady", async () => {
    const client = open();
    const started = Date.now();
    const chunk = "w".repeat(2_048);
    client.socket.write(POST(10_000_000));
    const steady = setInterval(() => client.socket.writable && client.socket.write(chunk), 200);
    const closedAt = await client.closed;
    clearInterval(steady);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAt - started).toBeGreaterThanOrEqual(FAST.requestMs);
    expect(closedAt - started).toBeLessThan(FAST.requestMs + SLACK_MS);
    expect(handlerErrors).toEqual([]);
  }, 15_000);
});
