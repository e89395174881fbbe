// A small reverse proxy for the two-instance test: requests go round-robin to the app instances,
// and to the next one when an instance refuses the connection (the request never reached it, so
// sending it elsewhere cannot do it twice). A request that reached an instance which then died is
// answered 502 and not sent again: the client decides, and Hearth's clients send again under the
// same request id. Streams (SSE) are piped both ways, never buffered.
//
// X-Forwarded-For: the address this proxy saw is appended as the last hop, after whatever the
// client sent; with HEARTH_TRUST_PROXY=1 the app takes only that last hop (server/auth/client-ip.ts),
// so a client cannot choose its own address. X-Forwarded-Host and -Proto say what the client asked
// for, for the app's same-origin check. Hop-by-hop headers are dropped, as RFC 9110 §7.6.1 says.
import http from "node:http";
import type { AddressInfo } from "node:net";

/** Bodies up to this size are kept so that a refused connection can be retried on the next instance. */
const RETRYABLE_BODY_BYTES = 1024 * 1024;
/** How long an instance that refused a connection is skipped. */
const DOWN_FOR_MS = 2_000;
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization"]);

export interface RoundRobinProxy {
  origin: string;
  /** Requests each upstream answered (by its origin), and the connections refused and failed over. */
  readonly stats: { answered: Map<string, number>; failedOver: number; badGateway: number };
  close(): Promise<void>;
}

interface Upstream {
  url: URL;
  downUntil: number;
}

function forwardedHeaders(request: http.IncomingMessage): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  const connectionListed = new Set(
    String(request.headers.connection ?? "")
      .split(",")
      .map((name) => name.trim().toLowerCase()),
  );
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || connectionListed.has(name)) continue;
    headers[name] = value;
  }
  const seen = request.socket.remoteAddress ?? "unknown";
  const earlier = request.headers["x-forwarded-for"];
  headers["x-forwarded-for"] = earlier ? `${Array.isArray(earlier) ? earlier.join(", ") : earlier}, ${seen}` : seen;
  headers["x-forwarded-host"] = request.headers.host ?? "";
  headers["x-forwarded-proto"] = "http";
  return headers;
}

export async function startRoundRobinProxy(options: { upstreams: string[]; port?: number }): Promise<RoundRobinProxy> {
  const upstreams: Upstream[] = options.upstreams.map((origin) => ({ url: new URL(origin), downUntil: 0 }));
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const stats = { answered: new Map<string, number>(), failedOver: 0, badGateway: 0 };
  let next = 0;

  /** The upstreams in the order to try them for one request: round-robin, the ones seen down last. */
  const order = () => {
    const start = next++ % upstreams.length;
    const turn = [...upstreams.slice(start), ...upstreams.slice(0, start)];
    const now = Date.now();
    return [...turn.filter((u) => u.downUntil <= now), ...turn.filter((u) => u.downUntil > now)];
  };

  const server = http.createServer((request, response) => {
    const headers = forwardedHeaders(request);
    const chunks: Buffer[] = [];
    let bodyBytes = 0;
    let streamed = false;
    const candidates = order();

    const attempt = (index: number) => {
      const upstream = candidates[index]!;
      const outgoing = http.request(
        { host: upstream.url.hostname, port: upstream.url.port, method: request.method, path: request.url, headers, agent },
        (answer) => {
          stats.answered.set(upstream.url.origin, (stats.answered.get(upstream.url.origin) ?? 0) + 1);
          const out: http.OutgoingHttpHeaders = {};
          for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
          response.writeHead(answer.statusCode ?? 502, out);
          response.flushHeaders();
          answer.pipe(response);
          // The instance died mid-answer: end the client's response so it knows to retry.
          answer.on("error", () => response.destroy());
          answer.on("aborted", () => response.destroy());
        },
      );
      outgoing.on("error", (error: NodeJS.ErrnoException) => {
        // Only a refused connection is sure never to have reached the instance.
        const refused = error.code === "ECONNREFUSED";
        if (refused) upstream.downUntil = Date.now() + DOWN_FOR_MS;
        if (refused && !streamed && index + 1 < candidates.length) {
          stats.failedOver++;
          return attempt(index + 1);
        }
        stats.badGateway++;
        if (!response.headersSent) {
          response.writeHead(502, { "content-type": "text/plain" });
          response.end("The app instance did not answer.");
        } else response.destroy();
      });
      // The client went away (a closed stream): stop the upstream request too.
      response.on("close", () => {
        if (!response.writableFinished) outgoing.destroy();
      });
      if (streamed) request.pipe(outgoing);
      else outgoing.end(Buffer.concat(chunks));
    };

    // A large body (an attachment part) is streamed to the first instance, without failover.
    if (Number(request.headers["content-length"] ?? 0) > RETRYABLE_BODY_BYTES) {
      streamed = true;
      return attempt(0);
    }
    request.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      bodyBytes += chunk.length;
      if (bodyBytes > RETRYABLE_BODY_BYTES) request.destroy(new Error("A body without Content-Length past the proxy's limit."));
    });
    request.on("end", () => attempt(0));
  });
  // SSE streams stay open for minutes.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}
