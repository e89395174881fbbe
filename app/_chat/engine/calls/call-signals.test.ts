// Call signalling through the ChatEngine façade against the fake chat API: an invite rings on every
// device of the callee and an answer on one stops the others; declines, hang-ups and missed calls
// leave the right line on both sides; a new key after someone leaves a group call reaches those who
// stay and not the one who left, and is taken only from someone in the call.
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../../crypto";
import { toBase64Url } from "@/app/_shared/isomorphic/base64url";
import type { ChatEngine } from "../chat-engine";
import type { ChatSession } from "../chat-session";
import { FakeChatServer, until } from "../testing/fake-chat-server";
import { linkTestEngine, readyTestEngine, startTestEngine, statusOf, stopTestEngines, type TestEngine } from "../testing/test-engine";
import type { CallView, ConversationNotice, GroupConversationSummary } from "../types";
import { parseCallNoticeDetail } from "./call-record";
import { ELSEWHERE_SHOWN_MS } from "./call-signals";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

const sessionOf = (engine: ChatEngine) => engine["session"] as ChatSession;
const ringing = (engine: ChatEngine) => engine.calls().incoming.filter((c) => c.state === "ringing");
const callLines = (engine: ChatEngine, conversationId: string): ConversationNotice[] =>
  engine.messages(conversationId).notices.filter((n) => n.kind.startsWith("call-"));
const rowIdOf = async (device: TestEngine) => (await device.engine.devices()).find((d) => d.current)!.rowId;

/** Starts a call from `caller` and joins it there as `participantId`; returns the open call. */
async function call(caller: TestEngine, conversationId: string, participantId: string, kind: "audio" | "video" = "video"): Promise<CallView> {
  const room = await caller.engine.startCall(conversationId, kind);
  expect(room).toMatch(/^[0-9a-f]{32}$/);
  await caller.engine.openCall(room);
  const open = caller.engine.calls().open!;
  await caller.engine.callJoined(open.callId, participantId);
  return open;
}

/** Answers on `device` as `participantId` (as its call page does once in the room). */
async function answer(device: TestEngine, callId: string, participantId: string): Promise<CallView> {
  await until(() => ringing(device.engine).some((c) => c.callId === callId));
  const room = await device.engine.acceptCall(callId);
  await device.engine.openCall(room);
  await device.engine.callJoined(callId, participantId);
  return device.engine.calls().open!;
}

describe("call signalling, 1:1", () => {
  it("rings on every device of the callee; answering on one stops the other, and both sides know who is who", async () => {
    const server = new FakeChatServer();
    const alice = await readyTestEngine(server, server.createAccount("alice"), "laptop");
    const bobDesktop = await readyTestEngine(server, server.createAccount("bob"), "desktop");
    server.followEachOther(alice.person, bobDesktop.person);
    const bobPhone = await linkTestEngine(server, bobDesktop, "phone");
    const aliceTablet = await linkTestEngine(server, alice, "tablet");
    const bobId = bobDesktop.person.userId;

    const outgoing = await call(alice, bobId, "alice-pid");
    expect(outgoing).toMatchObject({ outgoing: true, state: "calling", kind: "video", maxParticipants: 3 });
    for (const device of [bobDesktop, bobPhone]) {
      await until(() => ringing(device.engine).length === 1);
      expect(ringing(device.engine)[0]).toMatchObject({ callId: outgoing.callId, kind: "video", caller: { handle: "alice" }, group: null });
    }
    // Alice's other device hears of the call but does not ring.
    await until(() => sessionOf(aliceTablet.engine).calls["records"].has(outgoing.callId));
    expect(ringing(aliceTablet.engine)).toEqual([]);

    const answered = await answer(bobPhone, outgoing.callId, "bob-pid");
    expect(answered.room).toBe(outgoing.room);
    expect(answered.keys).toEqual(outgoing.keys);
    expect(answered.keys[0]!.key).toHaveLength(32);
    expect(answered.participants["alice-pid"]).toMatchObject({ handle: "alice" });

    // The desktop stops ringing and says why, for a moment.
    await until(() => bobDesktop.engine.calls().incoming[0]?.state === "answered-elsewhere");
    expect(ringing(bobDesktop.engine)).toEqual([]);
    await until(() => bobDesktop.engine.calls().incoming.length === 0, ELSEWHERE_SHOWN_MS + 2_000);
    await expect(bobDesktop.engine.acceptCall(outgoing.callId)).rejects.toMatchObject({ code: "chat_call_unknown" });

    // Alice's page learns whose participant id "bob-pid" is, from the encrypted answer alone.
    await until(() => alice.engine.calls().open?.participants["bob-pid"]?.handle === "bob");

    // The call page is a full page load: a new engine on the phone finds the call, its key and who is who.
    bobPhone.engine.stop();
    const reloaded = startTestEngine(server, bobDesktop.person, "phone");
    await statusOf(reloaded.engine, "ready");
    await reloaded.engine.openCall(outgoing.room);
    expect(reloaded.engine.calls().open!.keys).toEqual(outgoing.keys);
    await until(() => reloaded.engine.calls().open?.participants["alice-pid"]?.handle === "alice");
  });

  it("a decline stops the call for the caller and the ringing on the callee's other devices, with a line on both sides", async () => {
    const server = new FakeChatServer();
    const alice = await readyTestEngine(server, server.createAccount("alice"), "laptop");
    const bobDesktop = await readyTestEngine(server, server.createAccount("bob"), "desktop");
    server.followEachOther(alice.person, bobDesktop.person);
    const bobPhone = await linkTestEngine(server, bobDesktop, "phone");
    const bobId = bobDesktop.person.userId;
    const aliceId = alice.person.userId;

    const outgoing = await call(alice, bobId, "alice-pid", "audio");
    await until(() => ringing(bobPhone.engine).length === 1 && ringing(bobDesktop.engine).length === 1);
    await bobPhone.engine.declineCall(outgoing.callId);

    await until(() => alice.engine.calls().open?.state === "declined");
    await until(() => bobDesktop.engine.calls().incoming[0]?.state === "declined-elsewhere");
    for (const [device, conversationId] of [
      [alice, bobId],
      [bobPhone, aliceId],
      [bobDesktop, aliceId],
    ] as const) {
      await device.engine.loadOlder(conversationId);
      await until(() => callLines(device.engine, conversationId).length === 1);
      const [line] = callLines(device.engine, conversationId);
      expect(line!.kind).toBe("call-declined");
      expect(line!.subjects.map((p) => p.userId)).toEqual([bobId]);
      expect(parseCallNoticeDetail(line!.detail)).toEqual({ kind: "audio", durationMs: 0 });
    }
    // The caller is the line's actor: none on Alice's side ("you called"), Alice on Bob's.
    expect(callLines(alice.engine, bobId)[0]!.actor).toBeNull();
    expect(callLines(bobPhone.engine, aliceId)[0]!.actor).toMatchObject({ userId: aliceId });
    // Nothing of the call stays ringing, nor its keys.
    expect(alice.engine.calls().open!.keys).toEqual([]);
  });

  it("a hang-up ends the call on both sides with its length; a call cancelled before an answer is missed", async () => {
    const server = new FakeChatServer();
    const alice = await readyTestEngine(server, server.createAccount("alice"), "laptop");
    const bob = await readyTestEngine(server, server.createAccount("bob"), "desktop");
    server.followEachOther(alice.person, bob.person);
    const [aliceId, bobId] = [alice.person.userId, bob.person.userId];
    // A conversation already in the list, to see its unread count.
    await alice.engine.sendText(bobId, "call you in a minute");
    await until(() => bob.engine.getSnapshot().conversations.some((c) => c.id === aliceId));
    await alice.engine.loadOlder(bobId);
    await bob.engine.loadOlder(aliceId);

    const first = await call(alice, bobId, "alice-pid");
    await answer(bob, first.callId, "bob-pid");
    await bob.engine.endCall(first.callId, { durationMs: 65_432, lastOne: true });
    await until(() => alice.engine.calls().open?.state === "ended");
    expect(alice.engine.calls().open!.durationMs).toBe(65_432);
    for (const [device, conversationId] of [
      [alice, bobId],
      [bob, aliceId],
    ] as const) {
      await until(() => callLines(device.engine, conversationId).length === 1);
      expect(callLines(device.engine, conversationId)[0]).toMatchObject({ kind: "call-ended", detail: "video:65432" });
    }
    // Alice's page hanging up too changes nothing more.
    await alice.engine.endCall(first.callId, { durationMs: 65_500, lastOne: true });
    expect(callLines(alice.engine, bobId)).toHaveLength(1);

    const unreadBefore = bob.engine.getSnapshot().conversations.find((c) => c.id === aliceId)?.unread ?? 0;
    const second = await call(alice, bobId, "alice-pid-2", "audio");
    await until(() => ringing(bob.engine).length === 1);
    await alice.engine.endCall(second.callId, { durationMs: null, lastOne: true });
    await until(() => ringing(bob.engine).length === 0);
    await until(() => callLines(bob.engine, aliceId).length === 2);
    expect(callLines(bob.engine, aliceId)[1]).toMatchObject({ kind: "call-missed", actor: { userId: aliceId }, detail: "audio:0" });
    expect(callLines(alice.engine, bobId)[1]).toMatchObject({ kind: "call-missed", actor: null });
    expect(bob.engine.getSnapshot().conversations.find((c) => c.id === aliceId)?.unread).toBe(unreadBefore + 1);
  });

  it("does not ring for an invite delivered long after it was sent: the call is missed", async () => {
    const server = new FakeChatServer();
    const alice = await readyTestEngine(server, server.createAccount("alice"), "laptop");
    // Bob's device came back online ten minutes later, as far as his clock is concerned.
    const bob = await readyTestEngine(server, server.createAccount("bob"), "desktop", { now: () => Date.now() + 10 * 60_000 });
    server.followEachOther(alice.person, bob.person);
    const aliceId = alice.person.userId;
    await bob.engine.loadOlder(aliceId);
    await call(alice, bob.person.userId, "alice-pid");
    await until(() => callLines(bob.engine, aliceId).length === 1);
    expect(callLines(bob.engine, aliceId)[0]!.kind).toBe("call-missed");
    expect(ringing(bob.engine)).toEqual([]);
  });
});

describe("call signalling, groups", () => {
  const groupOf = (engine: ChatEngine, groupId: string) =>
    engine.getSnapshot().conversations.find((c): c is GroupConversationSummary => c.kind === "group" && c.id === groupId)?.group;

  it("sends a new key after someone leaves to the members who stay, never to the one who left, and takes keys only from participants", async () => {
    const server = new FakeChatServer();
    const [alice, bob, carol, dan] = await Promise.all([
      readyTestEngine(server, server.createAccount("alice"), "laptop"),
      readyTestEngine(server, server.createAccount("bob"), "desktop"),
      readyTestEngine(server, server.createAccount("carol"), "phone"),
      readyTestEngine(server, server.createAccount("dan"), "tablet"),
    ]);
    // People who follow each other: their first messages are no message requests.
    server.followEachOther(alice.person, bob.person, carol.person, dan.person);
    const groupId = await alice.engine.createGroup({ name: "Band", description: "", memberIds: [bob, carol, dan].map((p) => p.person.userId) });
    for (const member of [bob, carol, dan]) await until(() => groupOf(member.engine, groupId)?.membership === "member");

    const started = await call(alice, groupId, "pid-alice");
    expect(started.maxParticipants).toBe(4);
    for (const member of [bob, carol, dan]) await until(() => ringing(member.engine).some((c) => c.group?.id === groupId));
    await answer(bob, started.callId, "pid-bob");
    await answer(carol, started.callId, "pid-carol");
    await until(() => Object.keys(bob.engine.calls().open!.participants).length === 3);

    // Carol leaves; Alice's page (the lowest remaining participant id) makes the next key.
    await carol.engine.endCall(started.callId, { durationMs: 30_000, lastOne: false });
    const sendsBefore = server.sends.length;
    await alice.engine.rotateCallKey(started.callId, ["pid-carol"]);
    await until(() => bob.engine.calls().open!.keys.at(-1)?.index === 1);
    const newKey = alice.engine.calls().open!.keys.at(-1)!;
    expect(bob.engine.calls().open!.keys.at(-1)!.key).toEqual(newKey.key);
    expect(newKey.key).not.toEqual(started.keys[0]!.key);
    // Dan, who has not joined yet, gets it too (he would join with it); Carol's device never does.
    await until(() => sessionOf(dan.engine).calls["records"].get(started.callId)?.keys.at(-1)?.index === 1);
    const carolDevice = await rowIdOf(carol);
    for (const send of server.sends.slice(sendsBefore)) expect(send.deviceRowIds).not.toContain(carolDevice);
    expect(carol.engine.calls().open!.keys).toEqual([]);

    // Dan is a member but not in the call: a key from him is ignored.
    const forged = { t: "call-rekey" as const, callId: started.callId, key: toBase64Url(new Uint8Array(32).fill(7)), keyIndex: 5 };
    const bobDevice = await rowIdOf(bob);
    const sendsBeforeForgery = server.sends.length;
    await sessionOf(dan.engine)["outbox"].enqueue({ recipientIds: [bob.person.userId], content: forged });
    await until(() => server.sends.length > sendsBeforeForgery && server.pending(bobDevice) === 0);
    expect(bob.engine.calls().open!.keys.map((k) => k.index)).toEqual([0, 1]);

    // The group stays ringing for Dan until the last one leaves, then his call is missed.
    await bob.engine.endCall(started.callId, { durationMs: 40_000, lastOne: false });
    await alice.engine.endCall(started.callId, { durationMs: 41_000, lastOne: true });
    await dan.engine.loadOlder(groupId);
    await until(() => callLines(dan.engine, groupId).length === 1);
    expect(callLines(dan.engine, groupId)[0]).toMatchObject({ kind: "call-missed", actor: { userId: alice.person.userId } });
    await alice.engine.loadOlder(groupId);
    await until(() => callLines(alice.engine, groupId).length === 1);
    expect(callLines(alice.engine, groupId)[0]).toMatchObject({ kind: "call-ended", detail: "video:41000" });
  });
});
