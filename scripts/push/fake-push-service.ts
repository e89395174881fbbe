// A FAKE push service, standing in for a browser vendor's (FCM, Mozilla's autopush, Apple's) in
// tests: it accepts RFC 8030 push requests on loopback (POST /push/<subscription id>), records
// each one (headers and body, still encrypted: it cannot read them, as the real one cannot) and
// answers 201 Created; a subscription id starting with "gone-" answers 410 Gone, as a vendor does
// for an address the browser gave up. Tests read the records over HTTP (GET /records/<id>), since
// the server under test may run in another process. Never used outside tests.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedPush {
  /** The request's headers by lower-case name. */
  headers: Record<string, string>;
  /** The body, base64. */
  body: string;
  receivedAt: number;
}

export interface FakePushService {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 8 * 1024;

export async function startFakePushService(options: { port?: number } = {}): Promise<FakePushService> {
  const records = new Map<string, RecordedPush[]>();
  const server: Server = createServer((request, response) => {
    void handle(request).then(
      ({ status, json }) => {
        response.writeHead(status, json === undefined ? {} : { "Content-Type": "application/json" });
        response.end(json === undefined ? undefined : JSON.stringify(json));
      },
      () => {
        response.writeHead(400);
        response.end();
      },
    );
  });

  async function handle(request: IncomingMessage): Promise<{ status: number; json?: unknown }> {
    const url = new URL(request.url ?? "/", "http://fake-push");
    const [, kind, id] = url.pathname.split("/");
    if (!id || !/^[\w-]{1,100}$/.test(id)) return { status: 404 };
    if (request.method === "GET" && kind === "records") return { status: 200, json: records.get(id) ?? [] };
    if (request.method !== "POST" || kind !== "push") return { status: 405 };
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return { status: 413 };
      chunks.push(chunk);
    }
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")]));
    const list = records.get(id) ?? [];
    list.push({ headers, body: Buffer.concat(chunks).toString("base64"), receivedAt: Date.now() });
    records.set(id, list);
    return { status: id.startsWith("gone-") ? 410 : 201 };
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** What the fake push service received for a subscription address (read over HTTP, from any process). */
export async function pushesReceivedAt(endpoint: string): Promise<RecordedPush[]> {
  const url = new URL(endpoint);
  const id = url.pathname.split("/")[2];
  const response = await fetch(`${url.origin}/records/${id}`);
  if (!response.ok) throw new Error(`The fake push service answered ${response.status}.`);
  return (await response.json()) as RecordedPush[];
}

/** A new subscription address on a running fake push service, from any process. */
export function fakePushEndpoint(origin: string, options?: { gone?: boolean }): string {
  return `${origin}/push/${options?.gone ? "gone-" : "sub-"}${crypto.randomUUID()}`;
}

// `tsx scripts/push/fake-push-service.ts <port>`: the browser tests' instance (playwright.config.ts).
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const service = await startFakePushService({ port: Number(process.argv[2]) });
  console.log(`Fake push service (tests only) at ${service.origin}`);
}
