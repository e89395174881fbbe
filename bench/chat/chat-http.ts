// The two chat mutations the benchmark calls, as the browser's tRPC client sends them
// (httpBatchLink: POST /api/trpc/<path>?batch=1 with a JSON body), over keep-alive
// connections, with the session cookie and the Origin header the same-origin check wants.
import http from "node:http";

// `npm start` runs in production, where the cookie carries the __Host- prefix.
export const SESSION_COOKIE = "__Host-hearth_session";
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_ATTEMPTS = 5;

class StaleConnection extends Error {}

export interface ChatHttp {
  /** Resolves to the procedure's JSON result; rejects on anything but a 200 with a result. */
  mutate<T>(token: string, path: string, input: unknown): Promise<T>;
  /** Requests sent again because the server had closed the idle keep-alive connection they went out on. */
  readonly retriedOnStaleConnection: number;
  close(): void;
}

/** The JSON body httpBatchLink sends for one call. */
export function mutationBody(input: unknown): string {
  return JSON.stringify({ 0: input });
}

export function createChatHttp(origin: string): ChatHttp {
  const url = new URL(origin);
  // One connection per request in flight, kept for the next one: as many people would, each on
  // their own connection.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 });
  let retried = 0;

  const post = <T>(token: string, path: string, body: string) =>
    new Promise<T>((resolve, reject) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: "POST",
          path: `/api/trpc/${path}?batch=1`,
          agent,
          headers: {
            cookie: `${SESSION_COOKIE}=${token}`,
            origin,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            try {
              const [item] = JSON.parse(text) as [{ result?: { data: T }; error?: { message: string } }];
              if (response.statusCode === 200 && item?.result) return resolve(item.result.data);
              reject(new Error(`${path}: HTTP ${response.statusCode}: ${item?.error?.message ?? text.slice(0, 200)}`));
            } catch {
              reject(new Error(`${path}: HTTP ${response.statusCode}: ${text.slice(0, 200)}`));
            }
          });
        },
      );
      request.on("error", (error: NodeJS.ErrnoException) => {
        // The server closed an idle keep-alive connection just as this request went out on it.
        reject(request.reusedSocket && error.code === "ECONNRESET" ? new StaleConnection(error.message) : error);
      });
      request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error(`${path}: no answer within ${REQUEST_TIMEOUT_MS} ms`)));
      request.end(body);
    });

  return {
    async mutate<T>(token: string, path: string, input: unknown) {
      const body = mutationBody(input);
      // Browsers send such a request again; both mutations used here are idempotent. The next
      // idle connection may have been closed as well.
      for (let attempt = 1; ; attempt++) {
        try {
          return await post<T>(token, path, body);
        } catch (error) {
          if (!(error instanceof StaleConnection) || attempt === MAX_ATTEMPTS) throw error;
          retried++;
        }
      }
    },
    get retriedOnStaleConnection() {
      return retried;
    },
    close() {
      agent.destroy();
    },
  };
}
