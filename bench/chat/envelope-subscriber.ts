// One device's `chat.envelopes.stream` over real HTTP, as the browser's httpSubscriptionLink opens
// it: GET /api/trpc/chat.envelopes.stream?input=<JSON> with `Accept: text/event-stream` and the
// session cookie. The server-sent events are parsed here (no EventSource in Node 20); a dropped
// stream reconnects with `Last-Event-ID`, as EventSource does, and is counted.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { SESSION_COOKIE } from "./chat-http";

export interface ArrivedEnvelope {
  id: string;
  payload: string;
  /** performance.now() when the chunk carrying the event came off the socket. */
  arrivedAt: number;
}

export interface EnvelopeSubscription {
  /** Resolves at the first `connected` event; rejects if the first attempt fails. */
  readonly connected: Promise<void>;
  /** Times the stream ended or failed after it had connected, and was opened again. */
  readonly reconnections: number;
  readonly isOpen: boolean;
  close(): void;
}

const RECONNECT_DELAY_MS = 1_000;

export function streamPath(deviceRowId: string): string {
  return `/api/trpc/chat.envelopes.stream?input=${encodeURIComponent(JSON.stringify({ deviceRowId }))}`;
}

/** Splits a byte stream into server-sent events (https://html.spec.whatwg.org/#parsing-an-event-stream). */
export class SseParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];
  private id: string | null = null;

  constructor(private readonly dispatch: (event: { event: string; data: string; id: string | null }) => void) {}

  push(text: string): void {
    this.buffer += text;
    let newline: number;
    while ((newline = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, this.buffer[newline - 1] === "\r" ? newline - 1 : newline);
      this.buffer = this.buffer.slice(newline + 1);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === "") {
      if (this.data.length > 0 || this.event) this.dispatch({ event: this.event || "message", data: this.data.join("\n"), id: this.id });
      this.event = "";
      this.data = [];
      this.id = null;
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    else if (field === "id") this.id = value;
  }
}

export function subscribeEnvelopes(options: {
  origin: string;
  token: string;
  deviceRowId: string;
  agent: http.Agent;
  onEnvelope: (envelope: ArrivedEnvelope) => void;
  /** A stream error or drop; the subscription reconnects unless closed. */
  onTrouble: (message: string) => void;
}): EnvelopeSubscription {
  const url = new URL(options.origin);
  let lastEventId: string | null = null;
  let request: http.ClientRequest | null = null;
  let closed = false;
  let open = false;
  let everConnected = false;
  let reconnections = 0;
  let settle: { resolve: () => void; reject: (error: Error) => void } | null = null;
  const connected = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });

  const lost = (message: string) => {
    open = false;
    request = null;
    if (closed) return;
    if (!everConnected) {
      closed = true;
      settle?.reject(new Error(message));
      return;
    }
    options.onTrouble(message);
    setTimeout(() => {
      if (closed) return;
      reconnections++;
      connect();
    }, RECONNECT_DELAY_MS);
  };

  const connect = () => {
    let arrivedAt = 0;
    let finished = false;
    const fail = (message: string) => {
      if (finished) return;
      finished = true;
      lost(message);
    };
    const parser = new SseParser(({ event, data, id }) => {
      if (event === "connected") {
        open = true;
        everConnected = true;
        settle?.resolve();
      } else if (event === "message") {
        if (id) lastEventId = id;
        const parsed = JSON.parse(data) as { id: string; payload: string };
        options.onEnvelope({ id: parsed.id, payload: parsed.payload, arrivedAt });
      } else if (event === "serialized-error") {
        options.onTrouble(`serialized-error: ${data.slice(0, 300)}`);
      }
    });
    const headers: http.OutgoingHttpHeaders = { accept: "text/event-stream", "cache-control": "no-cache", cookie: `${SESSION_COOKIE}=${options.token}` };
    if (lastEventId) headers["last-event-id"] = lastEventId;
    request = http.get({ host: url.hostname, port: url.port, path: streamPath(options.deviceRowId), agent: options.agent, headers }, (response) => {
      if (response.statusCode !== 200 || !String(response.headers["content-type"]).startsWith("text/event-stream")) {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => fail(`stream: HTTP ${response.statusCode}: ${Buffer.concat(chunks).toString("utf8").slice(0, 300)}`));
        return;
      }
      response.setEncoding("utf8");
      response.on("data", (text: string) => {
        arrivedAt = performance.now();
        parser.push(text);
      });
      response.on("end", () => fail("stream ended"));
      response.on("error", (error) => fail(`stream: ${error.message}`));
    });
    request.on("error", (error) => fail(`stream: ${error.message}`));
  };

  connect();
  return {
    connected,
    get reconnections() {
      return reconnections;
    },
    get isOpen() {
      return open && !closed;
    },
    close() {
      closed = true;
      open = false;
      request?.destroy();
    },
  };
}

/**
 * Opens one stream per target, `concurrency` connecting at a time, and resolves once every one has
 * connected. `onEnvelope` and `onTrouble` name the target by its index in `targets`.
 */
export async function subscribeAll(options: {
  origin: string;
  agent: http.Agent;
  targets: readonly { token: string; deviceRowId: string }[];
  concurrency: number;
  onEnvelope: (target: number, envelope: ArrivedEnvelope) => void;
  onTrouble: (target: number, message: string) => void;
}): Promise<EnvelopeSubscription[]> {
  const subscriptions: EnvelopeSubscription[] = [];
  let next = 0;
  const worker = async () => {
    while (next < options.targets.length) {
      const index = next++;
      const target = options.targets[index]!;
      const subscription = subscribeEnvelopes({
        origin: options.origin,
        token: target.token,
        deviceRowId: target.deviceRowId,
        agent: options.agent,
        onEnvelope: (envelope) => options.onEnvelope(index, envelope),
        onTrouble: (message) => options.onTrouble(index, message),
      });
      subscriptions.push(subscription);
      await subscription.connected;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return subscriptions;
}
