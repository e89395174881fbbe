// History on a newly linked device: the existing device sends its conversations and messages when
// the person chooses it at approval, sealed to the new device alone; the new device shows progress
// and merges them (read, in order, nothing twice, alongside what arrived live meanwhile). The
// server, and anyone else, holds only ciphertext. fake-indexeddb stands in for the browser's IndexedDB.
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../crypto";
import type { ChatEngine } from "./chat-engine";
import { historyChunks } from "./history-transfer";
import { FakeChatServer, until } from "./testing/fake-chat-server";
import { readyTestEngine, startTestEngine, statusOf, stopTestEngines, type TestEngine } from "./testing/test-engine";
import type { LinkOfferState } from "./types";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

const bodies = (engine: ChatEngine, conversationId: string) => engine.messages(conversationId).messages.map((m) => m.body);

/** Links `device` to `existing`'s account, approving with the history chosen or not; resolves once linked (the history may still be on its way). */
async function link(
  server: FakeChatServer,
  existing: TestEngine,
  device: string,
  sendHistory: boolean,
): Promise<{ linked: TestEngine; states: LinkOfferState["kind"][] }> {
  const linked = startTestEngine(server, existing.person, device);
  await statusOf(linked.engine, "needs-setup");
  const states: LinkOfferState["kind"][] = [];
  existing.engine.subscribe(() => {
    const kind = existing.engine.getSnapshot().link?.kind;
    if (kind && states.at(-1) !== kind) states.push(kind);
  });
  await existing.engine.startLinkOffer();
  const offer = existing.engine.getSnapshot().link;
  if (offer?.kind !== "showing-code") throw new Error(`no code shown: ${JSON.stringify(offer)}`);
  const linking = linked.engine.linkWithCode(offer.code);
  await until(() => existing.engine.getSnapshot().link?.kind === "confirm");
  void existing.engine.approveLink({ sendHistory });
  await linking;
  return { linked, states };
}

describe("history on a newly linked device", () => {
  it("arrives sealed to the new device alone, with progress, merged read and in order next to what came live", async () => {
    const server = new FakeChatServer();
    const alice = await readyTestEngine(server, server.createAccount("alice"), "laptop");
    const bob = await readyTestEngine(server, server.createAccount("bob"), "desktop");
    const carol = await readyTestEngine(server, server.createAccount("carol"), "tablet");
    // People who follow each other: their first messages are no message requests.
    server.followEachOther(alice.person, bob.person, carol.person);
    const bobId = bob.person.userId;
    await alice.engine.openConversation("bob");
    await alice.engine.loadOlder(bobId);
    await bob.engine.loadOlder(alice.person.userId);
    const said = ["the lake at noon", "bring the red kayak", "and sandwiches"];
    for (const body of said) await alice.engine.sendText(bobId, body);
    await until(() => bodies(bob.engine, alice.person.userId).length === 3);
    await bob.engine.sendText(alice.person.userId, "deal, see you there");
    await until(() => bodies(alice.engine, bobId).length === 4);
    await carol.engine.openConversation("alice");
    await carol.engine.sendText(alice.person.userId, "hi from carol");
    await until(() => alice.engine.getSnapshot().conversations.length === 2);
    expect(
      alice.engine
        .getSnapshot()
        .conversations.map((c) => c.unread)
        .sort(),
    ).toEqual([1, 1]);

    // The uploads wait, so a message from Bob comes to the new phone live before the history.
    const release = server.holdUploads();
    const { linked: phone, states } = await link(server, alice, "phone", true);
    const progress: number[] = [];
    phone.engine.subscribe(() => {
      const transfer = phone.engine.getSnapshot().historyTransfer;
      if (transfer) progress.push(transfer.progress);
    });
    await phone.engine.loadOlder(bobId);
    await bob.engine.sendText(alice.person.userId, "on my way");
    await until(() => bodies(phone.engine, bobId).includes("on my way"));
    await until(() => alice.engine.getSnapshot().link?.kind === "sending-history");
    release();

    await until(() => alice.engine.getSnapshot().link?.kind === "done");
    expect(alice.engine.getSnapshot().link).toEqual({ kind: "done", deviceName: "phone", history: "sent" });
    expect(states).toEqual(["showing-code", "confirm", "linking", "sending-history", "done"]);
    await until(() => bodies(phone.engine, bobId).length === 5);
    await until(() => phone.engine.getSnapshot().historyTransfer === null && progress.length > 0);
    expect(bodies(phone.engine, bobId)).toEqual([...said, "deal, see you there", "on my way"]);
    expect(new Set(phone.engine.messages(bobId).messages.map((m) => m.id)).size).toBe(5);
    expect(phone.engine.messages(bobId).messages.map((m) => m.outgoing)).toEqual([true, true, true, false, false]);
    // Read on arrival, but the message that came live stays unread.
    const summaries = phone.engine.getSnapshot().conversations;
    expect(summaries.map((c) => (c.kind === "direct" ? [c.peer.handle, c.unread, c.lastMessage?.body] : null))).toEqual([
      ["bob", 1, "on my way"],
      ["carol", 0, "hi from carol"],
    ]);
    expect(progress.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(progress.at(-1)).toBe(1);

    // Only ciphertext on the server: the history's blob was for the phone alone, and is deleted once fetched.
    const phoneRowId = (await phone.engine.devices()).find((d) => d.current)!.rowId;
    expect(server.attachments()).toEqual([]);
    expect(server.attachmentRequests.filter((r) => r.op === "download").length).toBeGreaterThan(0);
    // Bob, Carol and the server never get a blob or a key: the one "history" content went to the phone only.
    const historySends = server.sends.filter((s) => s.deviceRowIds.length === 1 && s.deviceRowIds[0] === phoneRowId);
    expect(historySends.length).toBeGreaterThan(0);
  });

  it("keeps nothing readable on the server while the history is there, and none for anyone else", async () => {
    const server = new FakeChatServer();
    const alice = await readyTestEngine(server, server.createAccount("alice"), "laptop");
    const bob = await readyTestEngine(server, server.createAccount("bob"), "desktop");
    server.followEachOther(alice.person, bob.person);
    await alice.engine.openConversation("bob");
    await alice.engine.sendText(bob.person.userId, "a secret about the surprise party");
    await until(() => alice.engine.messages(bob.person.userId).messages[0]?.state === "delivered");

    // The phone's engine is stopped before it can fetch: the blob stays on the server to be looked at.
    const { linked: phone } = await link(server, alice, "phone", true);
    const phoneRowId = (await phone.engine.devices()).find((d) => d.current)!.rowId;
    phone.engine.stop();
    await until(() => alice.engine.getSnapshot().link?.kind === "done");
    const [blob, ...others] = server.attachments();
    expect(others).toEqual([]);
    expect([...blob!.recipients]).toEqual([phoneRowId]);
    const text = new TextDecoder("utf-8", { fatal: false }).decode(blob!.bytes);
    expect(text).not.toContain("surprise party");
    expect(text).not.toContain("bob");

    // Started again, the phone picks the history up.
    const again = startTestEngine(server, alice.person, "phone");
    await statusOf(again.engine, "ready");
    await again.engine.loadOlder(bob.person.userId);
    await until(() => bodies(again.engine, bob.person.userId).includes("a secret about the surprise party"));
    await until(() => server.attachments().length === 0);
  });

  it("sends nothing when the person does not choose it", async () => {
    const server = new FakeChatServer();
    const alice = await readyTestEngine(server, server.createAccount("alice"), "laptop");
    await readyTestEngine(server, server.createAccount("bob"), "desktop");
    await alice.engine.openConversation("bob");
    await alice.engine.sendText((await alice.engine.openConversation("bob")).userId, "only on the laptop");
    const { linked: phone } = await link(server, alice, "phone", false);
    await until(() => alice.engine.getSnapshot().link?.kind === "done");
    expect(alice.engine.getSnapshot().link).toEqual({ kind: "done", deviceName: "phone", history: "none" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.attachments()).toEqual([]);
    expect(phone.engine.getSnapshot().conversations).toEqual([]);
  });
});

describe("history chunks", () => {
  it("split at the chunk size, every message once, oldest first, the conversations with the first", async () => {
    const server = new FakeChatServer();
    // A clock a millisecond on at every reading: twelve sends in one real millisecond would tie on
    // their time, and ties are ordered by message id, not by order of sending.
    let clock = Date.now();
    const alice = await readyTestEngine(server, server.createAccount("alice"), "laptop", { now: () => ++clock });
    const bob = await readyTestEngine(server, server.createAccount("bob"), "desktop");
    await alice.engine.openConversation("bob");
    for (let i = 0; i < 12; i++) await alice.engine.sendText(bob.person.userId, `message number ${i} ${"x".repeat(300)}`);
    // The laptop's storage, as the history sender reads it.
    const storage = (alice.engine as unknown as { session: { ctx: { storage: Parameters<typeof historyChunks>[0] } } }).session.ctx.storage;
    const chunks = [];
    for await (const chunk of historyChunks(storage, Date.now(), 2_000)) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(2);
    const decoded = chunks.map((c) => JSON.parse(new TextDecoder().decode(c.bytes)) as { conversations: unknown[]; messages: { body: string }[] });
    expect(decoded.map((c) => c.conversations.length)).toEqual([1, ...Array(chunks.length - 1).fill(0)]);
    expect(decoded.flatMap((c) => c.messages.map((m) => m.body.split(" ")[2]))).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
  });
});
