// A lean HTTP client for `social.timeline.home` (a tRPC GET query with a JSON input), as a
// signed-in browser would call it: keep-alive connections and the session cookie. The load loop
// only needs the next cursor, so the body is scanned for it rather than parsed.
import http from "node:http";

export interface TimelineClient {
  /** Resolves to the raw body and the next cursor; rejects on anything but 200. */
  home(token: string, cursor: string | null): Promise<{ body: string; nextCursor: string | null }>;
  close(): void;
}

// `npm start` runs in production, where the cookie carries the __Host- prefix.
const COOKIE_NAME = "__Host-hearth_session";
const REQUEST_TIMEOUT_MS = 10_000;

export function homePath(cursor: string | null): string {
  return `/api/trpc/social.timeline.home?input=${encodeURIComponent(JSON.stringify({ cursor }))}`;
}

export function nextCursorIn(body: string): string | null {
  const at = body.lastIndexOf('"nextCursor":');
  if (at < 0) throw new Error("No nextCursor in the response");
  const value = at + '"nextCursor":'.length;
  if (body.startsWith("null", value)) return null;
  return body.slice(value + 1, body.indexOf('"', value + 1));
}

export function createTimelineClient(origin: string, maxSockets: number): TimelineClient {
  const url = new URL(origin);
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return {
    home(token, cursor) {
      return new Promise((resolve, reject) => {
        const request = http.get(
          { host: url.hostname, port: url.port, path: homePath(cursor), agent, headers: { cookie: `${COOKIE_NAME}=${token}`, accept: "application/json" } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("error", reject);
            response.on("end", () => {
              const body = Buffer.concat(chunks).toString("utf8");
              if (response.statusCode !== 200) {
                reject(new Error(`HTTP ${response.statusCode}: ${body.slice(0, 300)}`));
                return;
              }
              try {
                resolve({ body, nextCursor: nextCursorIn(body) });
              } catch (error) {
                reject(error as Error);
              }
            });
          },
        );
        request.on("error", reject);
        request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error(`No answer within ${REQUEST_TIMEOUT_MS} ms`)));
      });
    },
    close() {
      agent.destroy();
    },
  };
}
