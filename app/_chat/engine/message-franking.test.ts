// Message franking across engines: Mallory's engine franks what she writes, the server's real
// binding (server/data/chat/franking.ts, behind the fake chat API) seals the tag to each recipient
// device, Bob's engine keeps the proof with the message, and his report verifies with the server's
// real check; the same report with another sender, other text or another reporter does not. In a
// group each member's copy is franked for that member. Control contents carry a commitment too, so
// the server cannot tell them from messages. fake-indexeddb stands in for the browser's IndexedDB.
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "@/app/_shared/isomorphic/base64url";
import { checkFranking, frankingTag, sealFrankingTag } from "@/server/data/chat/franking";
import { loadCryptoCore } from "../crypto";
import type { ChatEngine } from "./chat-engine";
import { FakeChatServer, until } from "./testing/fake-chat-server";
import { readyTestEngine, stopTestEngines, type TestEngine } from "./testing/test-engine";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

/** A fake chat API that binds commitments the way the server does, with its key. */
function frankingServer(): FakeChatServer {
  const server = new FakeChatServer();
  server.frankingBinder = ({ commitment, senderId, recipientId, deviceRowId, deliveredAt }) => {
    const bytes = fromBase64Url(commitment);
    const tag = frankingTag({ commitment: bytes, senderId, recipientId, deliveredAt });
    return toBase64Url(sealFrankingTag({ tag, commitment: bytes, deviceRowId }));
  };
  return server;
}

interface SentReport {
  message: { id: string; sentAt: number; body: string };
  frankingKey: string;
  commitment: string;
  tag: string;
  senderUserId: string;
  deliveredAt: number;
  reason: string;
  note?: string;
}

/** The server's verdict on a report as the engine sent it, by `reporterId`. */
function verdictOn(report: SentReport, reporterId: string) {
  return checkFranking({
    message: report.message,
    frankingKey: fromBase64Url(report.frankingKey),
    commitment: fromBase64Url(report.commitment),
    tag: fromBase64Url(report.tag),
    claimedSenderId: report.senderUserId,
    reporterId,
    deliveredAt: report.deliveredAt,
  });
}

const received = (engine: ChatEngine, conversationId: string, body: string) => engine.messages(conversationId).messages.find((m) => m.body === body);

describe("message franking", () => {
  it("lets the recipient report a message with proof that its sender sent exactly that text; a forged or altered report fails", async () => {
    const server = frankingServer();
    const [mallory, bob] = await Promise.all([
      readyTestEngine(server, server.createAccount("mallory"), "laptop"),
      readyTestEngine(server, server.createAccount("bob"), "desktop"),
    ]);
    // People who follow each other: their first messages are no message requests.
    server.followEachOther(mallory.person, bob.person);
    const malloryId = mallory.person.userId;
    const bobId = bob.person.userId;
    await mallory.engine.openConversation("bob");
    await bob.engine.loadOlder(malloryId);
    await mallory.engine.loadOlder(bobId);
    await mallory.engine.sendText(bobId, "Pay up or else.");
    await mallory.engine.sendText(bobId, "Just kidding.");
    await until(() => received(bob.engine, malloryId, "Just kidding.") !== undefined);

    expect(received(bob.engine, malloryId, "Pay up or else.")?.reportable).toBe(true);
    // Her own copy is not hers to report.
    expect(received(mallory.engine, bobId, "Pay up or else.")?.reportable).toBe(false);

    const target = received(bob.engine, malloryId, "Pay up or else.")!;
    await bob.engine.reportMessage(target.id, "harassment", "  She means it.  ");
    expect(server.reports).toHaveLength(1);
    const report = server.reports[0] as SentReport;
    // Only that message: its id, text and time, and its proof; nothing of "Just kidding.".
    expect(report).toMatchObject({ message: { id: target.id, body: "Pay up or else." }, senderUserId: malloryId, reason: "harassment", note: "She means it." });
    expect(JSON.stringify(report)).not.toContain("Just kidding.");
    expect(verdictOn(report, bobId)).toBe("verified");

    const carol = server.createAccount("carol");
    expect(verdictOn({ ...report, senderUserId: carol.userId }, bobId)).toBe("tag_mismatch");
    expect(verdictOn({ ...report, message: { ...report.message, body: "Pay up." } }, bobId)).toBe("commitment_mismatch");
    expect(verdictOn(report, carol.userId)).toBe("tag_mismatch");
  });

  it("sends a 32-byte commitment beside every envelope, control contents included, and a fresh one per message", async () => {
    const server = frankingServer();
    const commitments: string[] = [];
    const [mallory, bob] = await Promise.all([
      readyTestEngine(server, server.createAccount("mallory"), "laptop"),
      readyTestEngine(server, server.createAccount("bob"), "desktop"),
    ]);
    // People who follow each other: their first messages are no message requests.
    server.followEachOther(mallory.person, bob.person);
    // Watch the commitments the server gets.
    const bind = server.frankingBinder!;
    server.frankingBinder = (fields) => {
      commitments.push(fields.commitment);
      return bind(fields);
    };
    await mallory.engine.openConversation("bob");
    await mallory.engine.loadOlder(bob.person.userId);
    await bob.engine.loadOlder(mallory.person.userId);
    await mallory.engine.sendText(bob.person.userId, "one");
    await mallory.engine.sendText(bob.person.userId, "one");
    // Bob's engine answers each with a "delivered" receipt: a control content, with a commitment all the same.
    await until(() => received(mallory.engine, bob.person.userId, "one")?.state === "delivered" && commitments.length >= 3);
    expect(commitments.every((c) => fromBase64Url(c).length === 32)).toBe(true);
    expect(new Set(commitments).size).toBe(commitments.length);
  });

  it("franks a group message for each member: each one's report verifies as theirs", async () => {
    const server = frankingServer();
    const [alice, bob, carol] = await Promise.all([
      readyTestEngine(server, server.createAccount("alice"), "laptop"),
      readyTestEngine(server, server.createAccount("bob"), "desktop"),
      readyTestEngine(server, server.createAccount("carol"), "phone"),
    ]);
    // People who follow each other: their first messages are no message requests.
    server.followEachOther(alice.person, bob.person, carol.person);
    server.follow(alice.person, bob.person);
    server.follow(alice.person, carol.person);
    const groupId = await alice.engine.createGroup({ name: "Trip", description: "", memberIds: [bob.person.userId, carol.person.userId] });
    for (const m of [bob, carol]) await until(() => m.engine.getSnapshot().conversations.some((c) => c.id === groupId));
    for (const e of [alice, bob, carol] as TestEngine[]) await e.engine.loadOlder(groupId);
    await alice.engine.sendText(groupId, "to everyone");
    for (const m of [bob, carol]) await until(() => received(m.engine, groupId, "to everyone")?.reportable === true);

    await bob.engine.reportMessage(received(bob.engine, groupId, "to everyone")!.id, "spam", "");
    await carol.engine.reportMessage(received(carol.engine, groupId, "to everyone")!.id, "spam", "");
    const [fromBob, fromCarol] = server.reports as SentReport[];
    expect(fromBob!.senderUserId).toBe(alice.person.userId);
    expect(verdictOn(fromBob!, bob.person.userId)).toBe("verified");
    expect(verdictOn(fromCarol!, carol.person.userId)).toBe("verified");
    expect(verdictOn(fromBob!, carol.person.userId)).toBe("tag_mismatch");
  });
});
