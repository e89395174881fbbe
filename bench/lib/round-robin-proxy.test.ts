// The two-instance test's proxy, against two plain HTTP servers standing in for app instances:
// turns alternate, a refused connection goes to the other instance, an instance dying mid-answer
// is a 502 (never sent twice), streams pass through as they come, and the address the proxy saw
// is always the last X-Forwarded-For hop, whatever the client wrote there.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startRoundRobinProxy, type RoundRobinProxy } from "./round-robin-proxy";

interface Upstream {
  origin: string;
  seen: { path: string; forwardedFor: string; forwardedHost: string; body: string }[];
  close(): Promise<void>;
}

async function upstream(name: string, handle?: (request: http.IncomingMessage, response: http.ServerResponse) => void): Promise<Upstream> {
  const seen: Upstream["seen"] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      seen.push({
        path: request.url ?? "",
        forwardedFor: String(request.headers["x-forwarded-for"]),
        forwardedHost: String(request.headers["x-forwarded-host"]),
        body,
      });
      if (handle) return handle(request, response);
      response.end(name);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

async function proxyFor(...upstreams: string[]): Promise<RoundRobinProxy> {
  const proxy = await startRoundRobinProxy({ upstreams });
  cleanUps.push(() => proxy.close());
  return proxy;
}

describe("the round-robin proxy", () => {
  it("takes turns, and keeps the client's body and path", async () => {
    const [a, b] = [await upstream("a"), await upstream("b")];
    cleanUps.push(a.close, b.close);
    const proxy = await proxyFor(a.origin, b.origin);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await (await fetch(`${proxy.origin}/x?i=${i}`, { method: "POST", body: `body ${i}` })).text());
    expect(answers).toEqual(["a", "b", "a", "b"]);
    expect(a.seen.map((s) => [s.path, s.body])).toEqual([
      ["/x?i=0", "body 0"],
      ["/x?i=2", "body 2"],
    ]);
  });

  it("sends a request whose connection was refused to the other instance", async () => {
    const a = await upstream("a");
    await a.close(); // dead: its port refuses connections
    const b = await upstream("b");
    cleanUps.push(b.close);
    const proxy = await proxyFor(a.origin, b.origin);
    const answers = await Promise.all([1, 2, 3].map(async () => (await fetch(`${proxy.origin}/`, { method: "POST", body: "once" })).text()));
    expect(answers).toEqual(["b", "b", "b"]);
    expect(b.seen).toHaveLength(3);
    expect(proxy.stats.failedOver).toBeGreaterThanOrEqual(1);
  });

  it("answers 502, and does not send again, when an instance dies after taking the request", async () => {
    const a = await upstream("a", (_request, response) => response.socket?.destroy());
    const b = await upstream("b");
    cleanUps.push(a.close, b.close);
    const proxy = await proxyFor(a.origin, b.origin);
    const response = await fetch(`${proxy.origin}/send`, { method: "POST", body: "not twice" });
    expect(response.status).toBe(502);
    expect(a.seen).toHaveLength(1);
    expect(b.seen).toHaveLength(0);
  });

  it("appends the address it saw as the last X-Forwarded-For hop, after whatever the client claimed", async () => {
    const a = await upstream("a");
    cleanUps.push(a.close);
    const proxy = await proxyFor(a.origin);
    await fetch(`${proxy.origin}/`);
    await fetch(`${proxy.origin}/`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(a.seen.map((s) => s.forwardedFor)).toEqual(["127.0.0.1", "203.0.113.9, 127.0.0.1"]);
    expect(a.seen[0]!.forwardedHost).toBe(new URL(proxy.origin).host);
  });

  it("passes a server-sent event stream through as it comes, not when it ends", async () => {
    let finish = () => {};
    const a = await upstream("a", (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("event: connected\ndata: {}\n\n");
      finish = () => response.end("data: last\n\n");
    });
    cleanUps.push(a.close);
    const proxy = await proxyFor(a.origin);
    const response = await fetch(`${proxy.origin}/stream`);
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain("event: connected");
    finish();
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toContain("data: last");
  });
});
