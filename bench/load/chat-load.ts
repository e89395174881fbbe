// The chat side of the mix and the posts, on an open-loop driver of our own (autocannon has no
// server-sent events, and no rate under one a second): posts, messages and attachments arrive at their rates whatever the server's pace, as people's
// clicks do. Every person's device has real keys (the crypto core's test devices) and writes to a
// few contacts over real PQXDH sessions; each message is sealed as the chat engine seals it
// (sealedEncrypt: Double Ratchet, then sealed sender) and sent with `chat.envelopes.send`; the
// recipient's `chat.envelopes.stream` must bring it exactly once, and it is acknowledged as a
// client does. Attachments go as the client sends them: `chat.attachments.create`, a PATCH of the
// bytes (random, standing in for the ciphertext the server never reads), then the recipient's GET
// and `chat.attachments.fetched`. At the end every envelope is opened with its recipient's keys
// and must give the text sent, from the sender claimed.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { loadCryptoCore, processPreKeyBundle, sealedDecrypt, sealedEncrypt, systemRandom } from "../../app/_chat/crypto";
import { createTestDevice, type TestDevice } from "../../app/_chat/crypto/testing/test-device";
import { decodeContent, encodeContent } from "../../app/_chat/engine/chat-content";
import { fromBase64Url, toBase64Url } from "../../app/_shared/isomorphic/base64url";
import { Acknowledger } from "../chat/acknowledger";
import { SESSION_COOKIE, type ChatHttp } from "../chat/chat-http";
import type { ChatAccount } from "../chat/delivery-accounts";
import { subscribeAll, type ArrivedEnvelope, type EnvelopeSubscription } from "../chat/envelope-subscriber";

export interface ChatPerson {
  index: number;
  account: ChatAccount;
  keys: TestDevice;
  /** The people this one writes to (sessions made up front); they never write back on the same sessions. */
  contacts: number[];
  /** Sealing advances the sender's ratchet: one at a time per person. */
  sealing: Promise<unknown>;
  arrivals: ArrivedEnvelope[];
}

interface SentMessage {
  /** The server answered the send; an unanswered one (a timeout) may still have been stored. */
  acknowledged: boolean;
  from: number;
  to: number;
  body: string;
  startedAt: number;
  arrivals: number;
}

export interface ChatFailures {
  /** Failures by kind, each with a few examples. */
  kinds: Map<string, { count: number; examples: string[] }>;
}

const REQUEST_TIMEOUT_MS = 30_000;
const CONNECT_CONCURRENCY = 25;

/** Keys for every person's device, and a PQXDH session from each person to each of their contacts. */
export async function prepareChatPeople(accounts: readonly ChatAccount[], contactsPerPerson: number): Promise<ChatPerson[]> {
  await loadCryptoCore();
  const people: ChatPerson[] = [];
  for (const account of accounts) {
    const keys = await createTestDevice({ userId: account.userId, deviceId: 1, random: systemRandom, now: Date.now(), oneTimePreKeys: contactsPerPerson });
    const contacts = Array.from({ length: Math.min(contactsPerPerson, accounts.length - 1) }, (_, k) => (account.index + k + 1) % accounts.length);
    people.push({ index: account.index, account, keys, contacts, sealing: Promise.resolve(), arrivals: [] });
  }
  for (const person of people) {
    for (const contact of person.contacts) {
      const bundle = await people[contact]!.keys.bundle();
      await processPreKeyBundle({ address: people[contact]!.keys.address, bundle, stores: person.keys.stores, random: systemRandom });
    }
  }
  return people;
}

/** Fires `act` at exponentially spaced moments averaging `rate` a second, for `seconds`; resolves once every one has settled. */
export async function openLoop(rate: number, seconds: number, act: () => Promise<void>): Promise<void> {
  const running: Promise<void>[] = [];
  if (rate <= 0) return;
  const end = performance.now() + seconds * 1000;
  let at = performance.now();
  for (;;) {
    at += (-Math.log(1 - Math.random()) / rate) * 1000;
    if (at >= end) break;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    running.push(act());
  }
  await Promise.all(running);
}

export class ChatLoad {
  readonly postLatencies: number[] = [];
  readonly sendLatencies: number[] = [];
  readonly deliveryLatencies: number[] = [];
  readonly uploadLatencies: number[] = [];
  readonly downloadLatencies: number[] = [];
  readonly failures: ChatFailures = { kinds: new Map() };
  private readonly sent = new Map<string, SentMessage>();
  private readonly attachmentsInFlight = new Set<Promise<void>>();
  private subscriptions: EnvelopeSubscription[] = [];
  private readonly acks: Acknowledger;
  private readonly streamAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  private readonly requestAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 });
  private readonly attachment: { bytes: Buffer; sha256: string };
  private sequence = 0;
  private posted = 0;
  attachmentsDone = 0;

  constructor(
    private readonly origin: string,
    private readonly people: readonly ChatPerson[],
    private readonly client: ChatHttp,
    attachmentBytes: number,
  ) {
    this.acks = new Acknowledger(
      client,
      (recipient) => people[recipient]!.account.token,
      (message) => this.fail("acknowledgement failed", message),
    );
    const bytes = randomBytes(attachmentBytes);
    this.attachment = { bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
  }

  fail(kind: string, example: string): void {
    const entry = this.failures.kinds.get(kind) ?? { count: 0, examples: [] };
    entry.count++;
    if (entry.examples.length < 3) entry.examples.push(example.slice(0, 300));
    this.failures.kinds.set(kind, entry);
  }

  /** One stream per person's device, open before the load starts. */
  async openStreams(): Promise<void> {
    this.subscriptions = await subscribeAll({
      origin: this.origin,
      agent: this.streamAgent,
      targets: this.people.map((p) => ({ token: p.account.token, deviceRowId: p.account.deviceRowId })),
      concurrency: CONNECT_CONCURRENCY,
      onEnvelope: (index, envelope) => this.arrived(index, envelope),
      onTrouble: (index, message) => this.fail("stream dropped or errored", `person ${index}: ${message}`),
    });
  }

  private arrived(index: number, envelope: ArrivedEnvelope): void {
    const message = this.sent.get(envelope.payload);
    if (!message) this.fail("unknown envelope arrived", `person ${index}, envelope ${envelope.id}`);
    else if (message.to !== index) this.fail("envelope delivered to the wrong person", `to ${message.to}, arrived at ${index}`);
    else {
      message.arrivals++;
      if (message.arrivals === 1) this.deliveryLatencies.push(envelope.arrivedAt - message.startedAt);
      else this.fail("envelope delivered twice", `envelope ${envelope.id} to person ${index}`);
      this.people[index]!.arrivals.push(envelope);
    }
    this.acks.add(index, envelope.id);
  }

  private pickSender(): { from: ChatPerson; to: ChatPerson } {
    const from = this.people[Math.floor(Math.random() * this.people.length)]!;
    const to = this.people[from.contacts[Math.floor(Math.random() * from.contacts.length)]!]!;
    return { from, to };
  }

  /** One post by someone, named once (clientRequestId) as the composer names it. */
  async post(): Promise<void> {
    const person = this.people[Math.floor(Math.random() * this.people.length)]!;
    const started = performance.now();
    try {
      const post = await this.client.mutate<{ id: string }>(person.account.token, "social.posts.create", {
        text: `Load test post ${++this.posted} from ${person.account.handle}`,
        clientRequestId: randomUUID(),
      });
      if (!post.id) throw new Error("no post id in the answer");
      this.postLatencies.push(performance.now() - started);
    } catch (error) {
      this.fail("post failed", (error as Error).message);
    }
  }

  /** One message: sealed for the recipient's device, sent, and expected on their stream. */
  async sendMessage(): Promise<void> {
    const { from, to } = this.pickSender();
    const seq = ++this.sequence;
    const body = `Load test message ${seq}`;
    const content = encodeContent({ t: "text", id: randomUUID(), body, sentAt: Date.now() });
    const sealing = from.sealing.then(() =>
      sealedEncrypt({
        address: to.keys.address,
        sender: from.keys.address,
        plaintext: content,
        stores: from.keys.stores,
        random: systemRandom,
        now: Date.now(),
      }),
    );
    from.sealing = sealing.catch(() => undefined);
    let payload: string;
    try {
      payload = toBase64Url(await sealing);
    } catch (error) {
      this.fail("sealing failed", (error as Error).message);
      return;
    }
    const startedAt = performance.now();
    const message: SentMessage = { acknowledged: false, from: from.index, to: to.index, body, startedAt, arrivals: 0 };
    this.sent.set(payload, message);
    try {
      await this.client.mutate(from.account.token, "chat.envelopes.send", {
        clientMessageId: randomUUID(),
        envelopes: [{ deviceRowId: to.account.deviceRowId, payload }],
      });
      message.acknowledged = true;
      this.sendLatencies.push(performance.now() - startedAt);
    } catch (error) {
      this.fail("message send failed", (error as Error).message);
    }
  }

  /** One attachment: begun, uploaded in one part, then downloaded by the recipient and marked fetched. */
  async sendAttachment(): Promise<void> {
    const { from, to } = this.pickSender();
    const task = this.attachmentRoundTrip(from, to).catch((error: unknown) => this.fail("attachment failed", (error as Error).message));
    this.attachmentsInFlight.add(task);
    await task;
    this.attachmentsInFlight.delete(task);
  }

  private async attachmentRoundTrip(from: ChatPerson, to: ChatPerson): Promise<void> {
    const { bytes, sha256 } = this.attachment;
    const started = performance.now();
    const { id } = await this.client.mutate<{ id: string }>(from.account.token, "chat.attachments.create", {
      size: bytes.length,
      recipientDeviceRowIds: [to.account.deviceRowId],
    });
    const patched = await this.request(from.account.token, "PATCH", `/api/chat/attachments/${id}`, bytes, {
      "content-type": "application/octet-stream",
      "upload-offset": "0",
    });
    if (patched.status !== 204 || patched.headers["upload-offset"] !== String(bytes.length)) {
      throw new Error(`upload: HTTP ${patched.status} at offset ${String(patched.headers["upload-offset"])}: ${patched.body.toString("utf8").slice(0, 200)}`);
    }
    this.uploadLatencies.push(performance.now() - started);
    const fetchStarted = performance.now();
    const download = await this.request(to.account.token, "GET", `/api/chat/attachments/${id}?device=${to.account.deviceRowId}`);
    if (download.status !== 200) throw new Error(`download: HTTP ${download.status}: ${download.body.toString("utf8").slice(0, 200)}`);
    if (createHash("sha256").update(download.body).digest("hex") !== sha256) throw new Error("download: not the bytes uploaded");
    this.downloadLatencies.push(performance.now() - fetchStarted);
    await this.client.mutate(to.account.token, "chat.attachments.fetched", { id, deviceRowId: to.account.deviceRowId });
    this.attachmentsDone++;
  }

  private request(
    token: string,
    method: "GET" | "PATCH",
    path: string,
    body?: Buffer,
    headers: http.OutgoingHttpHeaders = {},
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    const url = new URL(this.origin);
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          agent: this.requestAgent,
          headers: { ...headers, cookie: `${SESSION_COOKIE}=${token}`, origin: this.origin, ...(body && { "content-length": body.length }) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        },
      );
      request.on("error", reject);
      request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error(`${method} ${path}: no answer within ${REQUEST_TIMEOUT_MS} ms`)));
      request.end(body);
    });
  }

  /** Waits until every sent message has arrived, every ack and attachment has finished, or `timeoutMs` passed. */
  async settle(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    const done = () => this.attachmentsInFlight.size === 0 && this.acks.idle && [...this.sent.values()].every((m) => !m.acknowledged || m.arrivals > 0);
    while (!done() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  }

  /**
   * Messages the server acknowledged: arrived exactly once, lost, doubled. And those it never
   * answered (errors already): how many were stored and delivered all the same, and how many twice.
   */
  tally(): { sent: number; once: number; lost: number; duplicated: number; unanswered: number; unansweredArrived: number; unansweredTwice: number } {
    const acknowledged = [...this.sent.values()].filter((m) => m.acknowledged);
    const unanswered = [...this.sent.values()].filter((m) => !m.acknowledged);
    return {
      sent: acknowledged.length,
      once: acknowledged.filter((m) => m.arrivals === 1).length,
      lost: acknowledged.filter((m) => m.arrivals === 0).length,
      duplicated: acknowledged.filter((m) => m.arrivals > 1).length,
      unanswered: unanswered.length,
      unansweredArrived: unanswered.filter((m) => m.arrivals > 0).length,
      unansweredTwice: unanswered.filter((m) => m.arrivals > 1).length,
    };
  }

  /** Opens every envelope that arrived with its recipient's keys, in arrival order; returns how many gave the text sent. */
  async decryptAll(): Promise<number> {
    let good = 0;
    for (const person of this.people) {
      for (const envelope of person.arrivals) {
        const message = this.sent.get(envelope.payload)!;
        const sender = this.people[message.from]!.keys;
        try {
          const { plaintext } = await sealedDecrypt({
            envelope: fromBase64Url(envelope.payload),
            stores: person.keys.stores,
            random: systemRandom,
            now: Date.now(),
            acceptSender: (address, key) => address.userId === sender.address.userId && key.equals(sender.identityKeyPair.identityKey),
          });
          const content = decodeContent(plaintext);
          if (content?.t !== "text" || content.body !== message.body) throw new Error("not the text sent");
          good++;
        } catch (error) {
          this.fail("envelope did not decrypt to the text sent", `to person ${person.index}: ${(error as Error).message}`);
        }
      }
    }
    return good;
  }

  close(): void {
    for (const subscription of this.subscriptions) subscription.close();
    this.streamAgent.destroy();
    this.requestAgent.destroy();
  }
}
