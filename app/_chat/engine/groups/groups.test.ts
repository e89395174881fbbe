// Groups through the ChatEngine façade against the fake chat API: three people talk, delivery is
// counted per member, an admin removes someone who then reads nothing new, newcomers see only what
// follows their joining, a change from a non-admin is refused on every device, and the sender key
// is replaced after a removal and after MAX_SENDER_KEY_AGE_MS.
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore, signGroupChange } from "../../crypto";
import { toBase64Url } from "@/app/_shared/isomorphic/base64url";
import type { ChatEngine } from "../chat-engine";
import type { ChatSession } from "../chat-session";
import { KV, type OwnSenderKeyRecord } from "../records";
import { FakeChatServer, until } from "../testing/fake-chat-server";
import { fakePhoto } from "../testing/fake-media-tools";
import { readyTestEngine, startTestEngine, statusOf, stopTestEngines, type TestEngine, type TestEngineOptions } from "../testing/test-engine";
import type { GroupConversationSummary } from "../types";
import { encodeGroupChange } from "./group-change";
import { MAX_SENDER_KEY_AGE_MS } from "./group-keys";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

const bodies = (engine: ChatEngine, groupId: string) => engine.messages(groupId).messages.map((m) => m.body);
const groupOf = (engine: ChatEngine, groupId: string) =>
  engine.getSnapshot().conversations.find((c): c is GroupConversationSummary => c.kind === "group" && c.id === groupId)?.group;
const noticesOf = (engine: ChatEngine, groupId: string) => engine.messages(groupId).notices.map((n) => n.kind);
/** The running session behind the façade: only these tests reach past the commands, to forge and to read keys. */
const sessionOf = (engine: ChatEngine) => engine["session"] as ChatSession;

async function threePeople(
  server: FakeChatServer,
  options: { alice?: TestEngineOptions } = {},
): Promise<{ alice: TestEngine; bob: TestEngine; carol: TestEngine }> {
  const [alice, bob, carol] = await Promise.all([
    readyTestEngine(server, server.createAccount("alice"), "laptop", options.alice),
    readyTestEngine(server, server.createAccount("bob"), "desktop"),
    readyTestEngine(server, server.createAccount("carol"), "phone"),
  ]);
  // People who follow each other: their first messages are no message requests.
  server.followEachOther(alice.person, bob.person, carol.person);
  return { alice, bob, carol };
}

async function makeGroup(alice: TestEngine, members: TestEngine[], name = "Trip"): Promise<string> {
  const groupId = await alice.engine.createGroup({ name, description: "", memberIds: members.map((m) => m.person.userId) });
  for (const m of members) await until(() => groupOf(m.engine, groupId)?.membership === "member");
  for (const e of [alice, ...members]) await e.engine.loadOlder(groupId);
  return groupId;
}

describe("groups", () => {
  it("lets three people talk both ways, counting delivery per member", async () => {
    const server = new FakeChatServer();
    const { alice, bob, carol } = await threePeople(server);
    server.follow(alice.person, bob.person);
    server.follow(alice.person, carol.person);
    expect((await alice.engine.groupCandidates()).map((p) => p.handle)).toEqual(["bob", "carol"]);

    const groupId = await makeGroup(alice, [bob, carol]);
    expect(groupOf(bob.engine, groupId)).toMatchObject({ name: "Trip", amAdmin: false, membership: "member" });
    await until(() => groupOf(bob.engine, groupId)!.members.every((m) => m.person.handle));
    expect(groupOf(bob.engine, groupId)!.members.map((m) => [m.person.handle, m.admin])).toEqual([
      ["alice", true],
      ["bob", false],
      ["carol", false],
    ]);
    expect(groupOf(alice.engine, groupId)!.amAdmin).toBe(true);

    await alice.engine.sendText(groupId, "hello group");
    await bob.engine.sendText(groupId, "hi from Bob");
    await carol.engine.sendText(groupId, "and Carol");
    for (const e of [alice, bob, carol]) await until(() => bodies(e.engine, groupId).length === 3);
    const seenByCarol = carol.engine.messages(groupId).messages;
    expect(seenByCarol.find((m) => m.body === "hi from Bob")).toMatchObject({ outgoing: false, sender: { handle: "bob" } });
    await until(() => alice.engine.messages(groupId).messages.find((m) => m.body === "hello group")?.state === "delivered");
    expect(alice.engine.messages(groupId).messages.find((m) => m.body === "hello group")!.groupDelivery).toEqual({ delivered: 2, total: 2 });
    // One batch per message, one envelope per member device, and the server saw no group name.
    const send = server.sends.find((s) => s.deviceRowIds.length === 2 && s.clientMessageId === alice.engine.messages(groupId).messages[0]!.id);
    expect(send).toBeDefined();
  });

  it("removes a member, who then reads nothing sent to the group, and replaces every sender key", async () => {
    const server = new FakeChatServer();
    const { alice, bob, carol } = await threePeople(server);
    const groupId = await makeGroup(alice, [bob, carol]);
    await bob.engine.sendText(groupId, "before");
    await until(() => bodies(carol.engine, groupId).includes("before"));
    const bobKeyBefore = await sessionOf(bob.engine).ctx.storage.getValue<OwnSenderKeyRecord>(KV.ownSenderKey(groupId));

    await alice.engine.removeGroupMember(groupId, carol.person.userId);
    await until(() => noticesOf(carol.engine, groupId).includes("you-were-removed"));
    expect(groupOf(carol.engine, groupId)?.membership).toBe("removed");
    await until(() => noticesOf(bob.engine, groupId).includes("member-removed"));
    expect(groupOf(bob.engine, groupId)!.members).toHaveLength(2);
    await expect(carol.engine.sendText(groupId, "still here?")).rejects.toMatchObject({ code: "chat_group_not_member" });

    await bob.engine.sendText(groupId, "after");
    await alice.engine.sendText(groupId, "after, from Alice");
    await until(() => bodies(alice.engine, groupId).includes("after") && bodies(bob.engine, groupId).includes("after, from Alice"));
    // Bob's next message started a new chain; Carol's device keeps no key of the group.
    const bobKeyAfter = await sessionOf(bob.engine).ctx.storage.getValue<OwnSenderKeyRecord>(KV.ownSenderKey(groupId));
    expect(bobKeyAfter!.key).not.toEqual(bobKeyBefore!.key);
    expect(bobKeyAfter!.distributedTo).not.toContain((await carol.engine.devices())[0]!.rowId);
    const carolStorage = sessionOf(carol.engine).ctx.storage;
    expect(await carolStorage.getValue(KV.memberSenderKeys(groupId, { userId: bob.person.userId, deviceId: 1 }))).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bodies(carol.engine, groupId)).toEqual(["before"]);
    const carolDevice = (await carol.engine.devices())[0]!.rowId;
    const afterSends = server.sends.slice(-2);
    for (const send of afterSends) expect(send.deviceRowIds).not.toContain(carolDevice);

    // Alice's browser starts again: Carol, no member any more, is still named in the removal notice and beside her messages.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sessionOf(alice.engine)["outbox"].idle();
    alice.engine.stop();
    const again = startTestEngine(server, alice.person, "laptop");
    await statusOf(again.engine, "ready");
    await again.engine.loadOlder(groupId);
    await until(() => again.engine.messages(groupId).notices.find((n) => n.kind === "member-removed")?.subjects[0]?.handle === "carol");
    expect(again.engine.messages(groupId).messages.find((m) => m.sender?.userId === carol.person.userId)).toBeUndefined();
  });

  it("shows newcomers only what is sent after they join", async () => {
    const server = new FakeChatServer();
    const { alice, bob, carol } = await threePeople(server);
    const groupId = await makeGroup(alice, [bob]);
    await bob.engine.sendText(groupId, "before Carol");
    await until(() => bodies(alice.engine, groupId).includes("before Carol"));

    await alice.engine.addGroupMembers(groupId, [carol.person.userId]);
    await until(() => groupOf(carol.engine, groupId)?.membership === "member");
    await until(() => groupOf(bob.engine, groupId)!.members.length === 3);
    await carol.engine.loadOlder(groupId);
    await bob.engine.sendText(groupId, "welcome Carol");
    await until(() => bodies(carol.engine, groupId).includes("welcome Carol"));
    expect(bodies(carol.engine, groupId)).toEqual(["welcome Carol"]);
  });

  it("refuses a change from a member who is not an admin, on every device, and shows it", async () => {
    const server = new FakeChatServer();
    const { alice, bob, carol } = await threePeople(server);
    const groupId = await makeGroup(alice, [bob, carol]);
    await expect(bob.engine.removeGroupMember(groupId, carol.person.userId)).rejects.toMatchObject({ code: "chat_group_not_admin" });

    // Bob's device sends the change anyway, correctly signed by Bob.
    const bobSession = sessionOf(bob.engine);
    const change = encodeGroupChange({
      v: 1,
      id: crypto.randomUUID(),
      groupId,
      author: bob.person.userId,
      at: Date.now(),
      action: { op: "remove", userId: carol.person.userId },
      state: {
        name: "Trip",
        description: "",
        members: [
          { userId: alice.person.userId, admin: true },
          { userId: bob.person.userId, admin: true },
        ],
      },
    });
    const signature = signGroupChange(bobSession.ctx.accountKeyPair, change);
    await bobSession["outbox"].enqueue({
      recipientIds: [alice.person.userId, carol.person.userId],
      content: { t: "group-change", change: toBase64Url(change), signature: toBase64Url(signature) },
    });
    for (const e of [alice, carol]) await until(() => noticesOf(e.engine, groupId).includes("change-refused"));
    expect(alice.engine.messages(groupId).notices.find((n) => n.kind === "change-refused")).toMatchObject({ actor: { handle: "bob" }, detail: "not-admin" });
    for (const e of [alice, carol]) expect(groupOf(e.engine, groupId)!.members).toHaveLength(3);

    // A change that claims Alice wrote it but is signed by Bob is dropped without a trace.
    const forged = encodeGroupChange({
      v: 1,
      id: crypto.randomUUID(),
      groupId,
      author: alice.person.userId,
      at: Date.now(),
      action: { op: "edit", name: "Hijacked", description: "" },
      state: { name: "Hijacked", description: "", members: [{ userId: alice.person.userId, admin: true }] },
    });
    await bobSession["outbox"].enqueue({
      recipientIds: [carol.person.userId],
      content: { t: "group-change", change: toBase64Url(forged), signature: toBase64Url(signGroupChange(bobSession.ctx.accountKeyPair, forged)) },
    });
    await carol.engine.sendText(groupId, "marker");
    await until(() => bodies(alice.engine, groupId).includes("marker"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(groupOf(carol.engine, groupId)!.name).toBe("Trip");
  });

  it("takes direction controls out of a group's name and description, typed here or sent by a modified client", async () => {
    const server = new FakeChatServer();
    const { alice, bob, carol } = await threePeople(server);
    // U+202E would show "Trip gnp.exe" as "Trip exe.png", and reverse what follows the name on the page.
    const groupId = await makeGroup(alice, [bob, carol], "Trip \u202Egnp.exe");
    for (const e of [alice, bob, carol]) expect(groupOf(e.engine, groupId)!.name).toBe("Trip gnp.exe");

    // Alice's device, modified, signs a rename that keeps the controls: the others' devices drop them.
    const session = sessionOf(alice.engine);
    const members = groupOf(alice.engine, groupId)!.members.map((m) => ({ userId: m.person.userId, admin: m.admin }));
    const name = "\u2067Plans\u2069 \u202Bfdp.scr\u202C";
    const change = encodeGroupChange({
      v: 1,
      id: crypto.randomUUID(),
      groupId,
      author: alice.person.userId,
      at: Date.now(),
      action: { op: "edit", name, description: "\u202Etxt.bat" },
      state: { name, description: "\u202Etxt.bat", members },
    });
    await session["outbox"].enqueue({
      recipientIds: [bob.person.userId, carol.person.userId],
      content: { t: "group-change", change: toBase64Url(change), signature: toBase64Url(signGroupChange(session.ctx.accountKeyPair, change)) },
    });
    for (const e of [bob, carol]) await until(() => groupOf(e.engine, groupId)!.name === "Plans fdp.scr");
    expect(groupOf(carol.engine, groupId)!.description).toBe("txt.bat");
  });

  it("shares a picture an admin sets (made small on the device) with members and newcomers, and removes it", async () => {
    const server = new FakeChatServer();
    const { alice, bob, carol } = await threePeople(server);
    const groupId = await makeGroup(alice, [bob]);
    await expect(bob.engine.editGroup(groupId, { name: "Trip", description: "", picture: fakePhoto({ width: 3000, height: 2000 }) })).rejects.toMatchObject({
      code: "chat_group_not_admin",
    });
    await alice.engine.editGroup(groupId, { name: "Trip", description: "", picture: fakePhoto({ width: 3000, height: 2000 }) });
    await until(() => !!groupOf(bob.engine, groupId)?.pictureUrl && noticesOf(bob.engine, groupId).includes("group-picture-changed"));
    const pictureUrl = groupOf(bob.engine, groupId)!.pictureUrl!;
    expect(pictureUrl).toMatch(/^data:image\/jpeg;base64,/);
    // The fake JPEG names its size: redrawn at most 160 px on its longest side, within 8 KiB.
    const jpeg = Buffer.from(pictureUrl.slice("data:image/jpeg;base64,".length), "base64");
    expect(jpeg.length).toBeLessThanOrEqual(8 * 1024);
    expect(jpeg.toString("latin1")).toContain('"width":160');

    await alice.engine.addGroupMembers(groupId, [carol.person.userId]);
    await until(() => groupOf(carol.engine, groupId)?.pictureUrl === pictureUrl);

    await alice.engine.editGroup(groupId, { name: "Trip", description: "", picture: null });
    await until(() => groupOf(bob.engine, groupId)?.pictureUrl === null && groupOf(carol.engine, groupId)?.pictureUrl === null);
  });

  it("starts a new sender key once the current one is older than the limit", async () => {
    const server = new FakeChatServer();
    let clock = Date.now();
    const { alice, bob } = await threePeople(server, { alice: { now: () => clock } });
    const groupId = await makeGroup(alice, [bob]);
    await alice.engine.sendText(groupId, "week one");
    await until(() => bodies(bob.engine, groupId).includes("week one"));
    const storage = sessionOf(alice.engine).ctx.storage;
    const first = await storage.getValue<OwnSenderKeyRecord>(KV.ownSenderKey(groupId));

    clock += MAX_SENDER_KEY_AGE_MS + 1;
    await alice.engine.sendText(groupId, "week two");
    await until(() => bodies(bob.engine, groupId).includes("week two"));
    const second = await storage.getValue<OwnSenderKeyRecord>(KV.ownSenderKey(groupId));
    expect(second!.createdAt).toBe(clock);
    expect(second!.key).not.toEqual(first!.key);
    expect(second!.sent).toBe(1);
  });
});
