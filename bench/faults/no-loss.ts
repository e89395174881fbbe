// The no-loss check shared by the fault tests (crash.ts: one instance killed, PostgreSQL killed;
// two-instances.ts: one of two instances killed behind the proxy). Clients do what Hearth's own
// clients do: name every post (clientRequestId) and message (clientMessageId) once and send it
// again, under the same name, until it gets an answer. verify() then checks that the database holds
// every one exactly once, each acknowledged post with the id it was acknowledged with.
import { randomBytes, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import type { ChatHttp } from "../chat/chat-http";
import type { ChatAccount } from "../chat/delivery-accounts";

/**
 * The command line both fault tests take: --short (the CI size), --messages, --posts, --clients,
 * --build (build again first), --keep (keep the data folder), --port.
 */
export function faultTestOptions() {
  const { values } = parseArgs({
    options: {
      short: { type: "boolean", default: false },
      build: { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      messages: { type: "string" },
      posts: { type: "string" },
      clients: { type: "string", default: "4" },
      port: { type: "string", default: "0" },
    },
  });
  return {
    build: values.build,
    keep: values.keep,
    messages: Number(values.messages ?? (values.short ? 100 : 500)),
    posts: Number(values.posts ?? (values.short ? 40 : 200)),
    clients: Number(values.clients),
    port: Number(values.port),
  };
}

/** Requests each client keeps in flight. */
const IN_FLIGHT = 4;
const RETRY_MS = 250;
/** A request still unanswered this long after its first attempt fails the run (the app restarts in about 20 s). */
const GIVE_UP_MS = 180_000;
/** The smallest padded envelope: 34 + 256 + 16 bytes (server/data/chat/envelopes.ts). */
const PAYLOAD_BYTES = 306;

export interface Operation {
  kind: "post" | "message";
  client: number;
  /** The name the client sends it under, every time. */
  requestId: string;
  /** What was stored: the post's text, or the envelope's payload. */
  content: string;
  acknowledgedAs: string | null;
  attempts: number;
}

export interface NoLossReport {
  once: number;
  lost: number;
  duplicated: number;
  mismatched: number;
}

/** A burst of posts and messages spread over the clients, interleaved as people would send them. */
export function burst(clients: ChatAccount[], counts: { posts: number; messages: number }): Operation[] {
  const operations: Operation[] = [];
  const add = (kind: Operation["kind"], i: number, content: string) =>
    operations.push({ kind, client: clients[i % clients.length]!.index, requestId: randomUUID(), content, acknowledgedAs: null, attempts: 0 });
  for (let i = 0; i < counts.posts; i++) add("post", i, `fault burst post ${i} ${randomUUID()}`);
  for (let i = 0; i < counts.messages; i++) add("message", i, randomBytes(PAYLOAD_BYTES).toString("base64url"));
  return operations.sort(() => Math.random() - 0.5);
}

/** Every client sending its share of the burst, IN_FLIGHT requests at a time, each sent again under its name until answered. */
export async function runClients(http: ChatHttp, clients: ChatAccount[], operations: Operation[], recipient: ChatAccount): Promise<void> {
  await Promise.all(
    clients.map((client) =>
      runClient(
        http,
        client,
        operations.filter((o) => o.client === client.index),
        recipient,
      ),
    ),
  );
}

async function runClient(http: ChatHttp, client: ChatAccount, operations: Operation[], recipient: ChatAccount): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < operations.length) {
      const operation = operations[next++]!;
      const first = Date.now();
      for (;;) {
        operation.attempts++;
        try {
          operation.acknowledgedAs = await send(http, client, operation, recipient);
          break;
        } catch (error) {
          // A fault's error (refused connection, reset, a 5xx while the database is down): send it again.
          if (Date.now() - first > GIVE_UP_MS) throw new Error(`gave up on ${operation.kind} ${operation.requestId}: ${(error as Error).message}`);
          await sleep(RETRY_MS);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

async function send(http: ChatHttp, client: ChatAccount, operation: Operation, recipient: ChatAccount): Promise<string> {
  if (operation.kind === "post") {
    const post = await http.mutate<{ id: string }>(client.token, "social.posts.create", { text: operation.content, clientRequestId: operation.requestId });
    return post.id;
  }
  await http.mutate(client.token, "chat.envelopes.send", {
    clientMessageId: operation.requestId,
    envelopes: [{ deviceRowId: recipient.deviceRowId, payload: operation.content }],
  });
  return operation.requestId;
}

/** What the database holds for the burst: each post and message exactly once, and as acknowledged. */
export async function verify(databaseUrl: string, operations: Operation[], clients: ChatAccount[], recipient: ChatAccount): Promise<NoLossReport> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const posts = await db.query<{ id: string; text: string }>("SELECT id, text FROM posts WHERE author_id = ANY($1::uuid[])", [clients.map((c) => c.userId)]);
    const envelopes = await db.query<{ payload: Buffer }>("SELECT payload FROM chat_envelopes WHERE recipient_device_id = $1", [recipient.deviceRowId]);
    const stored = new Map<string, string[]>();
    for (const row of posts.rows) stored.set(row.text, [...(stored.get(row.text) ?? []), row.id]);
    for (const row of envelopes.rows) {
      const key = row.payload.toString("base64url");
      stored.set(key, [...(stored.get(key) ?? []), key]);
    }
    const report: NoLossReport = { once: 0, lost: 0, duplicated: 0, mismatched: 0 };
    for (const operation of operations) {
      const ids = stored.get(operation.content) ?? [];
      if (ids.length === 0) report.lost++;
      else if (ids.length > 1) report.duplicated++;
      else report.once++;
      if (operation.kind === "post" && ids.length === 1 && operation.acknowledgedAs !== ids[0]) report.mismatched++;
    }
    return report;
  } finally {
    await db.end();
  }
}

export function lossFree(report: NoLossReport, operations: Operation[]): boolean {
  return !report.lost && !report.duplicated && !report.mismatched && report.once === operations.length;
}

/** Empties what a burst stored, so the next fault's counts start from nothing. */
export async function clearBurst(databaseUrl: string): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query("DELETE FROM chat_envelopes");
    await db.query("DELETE FROM posts");
  } finally {
    await db.end();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}
