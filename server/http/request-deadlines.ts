// Deadlines for what a client sends (slow-loris and slow-body attacks). Without them a client that
// sends its headers or body a byte at a time holds a connection and a handler until Node's default
// requestTimeout of 300 s. scripts/start.ts serves everything (Next's pages and routes, tRPC, the
// upload routes) through one server made here, so one set of deadlines covers every route.
//
// Why these numbers. The largest body Hearth takes is a chat backup of 32 MiB (MAX_BACKUP_BYTES;
// images are 10 MB, attachment parts and tRPC bodies 8 MiB). On a weak mobile uplink of 0.5 Mbit/s
// it takes about 9 minutes, so the whole request may take 15 minutes (0.3 Mbit/s still fits). What
// ends an attack sooner is the pace: headers are small and must be in within 20 s; a body may not
// stop for 20 s (a phone switching cells pauses for seconds, not that long), and after its first
// 30 s it must have averaged 4 KiB/s (32 kbit/s, below any mobile data connection in use). A client
// that keeps to that pace pays for the connection with real bandwidth, and is cut at 15 minutes.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";

export interface RequestDeadlines {
  /** The request line and headers must be in within this long. */
  headersMs: number;
  /** The whole request (headers and body), however steady. */
  requestMs: number;
  /** A body that has not ended may not go this long without a byte. */
  stallMs: number;
  /** After `graceMs`, a body must have averaged at least this many bytes a second. */
  minBytesPerSecond: number;
  graceMs: number;
}

export const REQUEST_DEADLINES: RequestDeadlines = {
  headersMs: 20_000,
  requestMs: 15 * 60_000,
  stallMs: 20_000,
  minBytesPerSecond: 4 * 1024,
  graceMs: 30_000,
};

/** What a client whose request came too slowly is told before its connection is closed. */
const TIMED_OUT_BODY = "The request did not arrive in time.\n";
const TIMED_OUT = `HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${TIMED_OUT_BODY.length}\r\n\r\n${TIMED_OUT_BODY}`;

/** An HTTP server that answers 408 and closes the connection of any client sending too slowly. */
export function createGuardedServer(listener: RequestListener, deadlines: RequestDeadlines = REQUEST_DEADLINES): Server {
  // Node checks headersTimeout and requestTimeout on this interval (30 s by default, which would
  // add up to 30 s to each bound); a pass over the open connections every 2 s costs nothing.
  const checkEveryMs = Math.max(100, Math.min(2_000, deadlines.headersMs / 10, deadlines.stallMs / 10));
  const server = createServer({ connectionsCheckingInterval: checkEveryMs }, (req, res) => {
    watchBody(req, res, deadlines, checkEveryMs);
    listener(req, res);
  });
  server.headersTimeout = deadlines.headersMs;
  server.requestTimeout = deadlines.requestMs;
  return server;
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}

/**
 * Watches the bytes the socket reads while the body has not all arrived, and ends the connection
 * when it stalls or falls below the minimum pace. The body itself is left to the handler: reading
 * it here would take it from under the handler. A handler that reads its body (all of Hearth's do,
 * at once) keeps the socket flowing, so only the client's pace is measured.
 */
function watchBody(req: IncomingMessage, res: ServerResponse, deadlines: RequestDeadlines, checkEveryMs: number): void {
  if (req.complete || !hasBody(req)) return;
  const socket = req.socket;
  const startedAt = Date.now();
  const startBytes = socket.bytesRead;
  let lastBytes = startBytes;
  let lastProgressAt = startedAt;
  const timer = setInterval(() => {
    if (req.complete || socket.destroyed) return stop();
    const now = Date.now();
    const bytes = socket.bytesRead;
    if (bytes > lastBytes) {
      lastBytes = bytes;
      lastProgressAt = now;
    }
    const elapsedMs = now - startedAt;
    const stalled = now - lastProgressAt >= deadlines.stallMs;
    const tooSlow = elapsedMs >= deadlines.graceMs && ((bytes - startBytes) * 1000) / elapsedMs < deadlines.minBytesPerSecond;
    if (!stalled && !tooSlow) return;
    stop();
    // Written to the socket itself, as Node does for its own timeouts: the handler still waiting
    // for the body sees the connection end, and nothing it writes afterwards goes anywhere.
    if (!res.headersSent) socket.end(TIMED_OUT);
    socket.destroySoon();
    setTimeout(() => socket.destroy(), 1_000).unref();
  }, checkEveryMs);
  timer.unref();
  function stop() {
    clearInterval(timer);
  }
  res.once("close", stop);
}
