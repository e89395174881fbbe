// Trust in a contact's account key, through the ChatEngine façade against the fake chat API: the
// safety number both sides see, verifying by scanning, and a changed key (a notice, verification
// cleared, the warning until acknowledged). fake-indexeddb stands in for the browser's IndexedDB.
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../crypto";
import { FakeChatServer, until } from "./testing/fake-chat-server";
import { readyTestEngine, startTestEngine, statusOf, stopTestEngines } from "./testing/test-engine";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

describe("verification", () => {
  it("both sides see one safety number; scanning the other's code verifies, a wrong code does not", async () => {
    const server = new FakeChatServer();
    const [alice, bob] = await Promise.all([
      readyTestEngine(server, server.createAccount("alice"), "laptop"),
      readyTestEngine(server, server.createAccount("bob"), "desktop"),
    ]);
    await Promise.all([alice.engine.openConversation("bob"), bob.engine.openConversation("alice")]);
    await alice.engine.sendText(bob.person.userId, "shall we compare numbers?");
    const [fromAlice, fromBob] = await Promise.all([alice.engine.safetyNumber(bob.person.userId), bob.engine.safetyNumber(alice.person.userId)]);
    expect(fromAlice.digits).toMatch(/^\d{60}$/);
    expect(fromBob.digits).toBe(fromAlice.digits);

    expect(
      await alice.engine.compareScanned(
        bob.person.userId,
        fromAlice.qrPayload.map((b, i) => (i === 5 ? b ^ 1 : b)),
      ),
    ).toBe(false);
    expect((await alice.engine.safetyNumber(bob.person.userId)).verified).toBe(false);
    expect(await alice.engine.compareScanned(bob.person.userId, fromBob.qrPayload)).toBe(true);
    expect((await alice.engine.safetyNumber(bob.person.userId)).verified).toBe(true);
    expect(alice.engine.getSnapshot().conversations[0]).toMatchObject({ verified: true, identityChanged: false });
    await alice.engine.loadOlder(bob.person.userId);
    expect(alice.engine.messages(bob.person.userId).notices.map((n) => n.kind)).toEqual(["verified"]);
  });

  it("a contact's new account key adds a notice, clears verified, and warns until acknowledged", async () => {
    const server = new FakeChatServer();
    const bobAccount = server.createAccount("bob");
    const [alice, bob] = await Promise.all([readyTestEngine(server, server.createAccount("alice"), "laptop"), readyTestEngine(server, bobAccount, "desktop")]);
    await alice.engine.openConversation("bob");
    await alice.engine.sendText(bobAccount.userId, "hi Bob");
    await alice.engine.setVerified(bobAccount.userId, true);
    const before = await alice.engine.safetyNumber(bobAccount.userId);

    // Bob starts over with a new identity on a new device.
    bob.engine.stop();
    const fresh = startTestEngine(server, bobAccount, "new desktop");
    await statusOf(fresh.engine, "needs-setup");
    await fresh.engine.setUpNewDevice();

    await alice.engine.loadOlder(bobAccount.userId);
    await alice.engine.openConversation("bob");
    await until(() => alice.engine.messages(bobAccount.userId).notices.some((n) => n.kind === "identity-changed"));
    expect(alice.engine.getSnapshot().conversations[0]).toMatchObject({ verified: false, identityChanged: true });
    const after = await alice.engine.safetyNumber(bobAccount.userId);
    expect(after.digits).not.toBe(before.digits);
    expect(after.verified).toBe(false);

    await alice.engine.acknowledgeIdentityChange(bobAccount.userId);
    expect(alice.engine.getSnapshot().conversations[0]).toMatchObject({ verified: false, identityChanged: false });
    // And messages reach Bob's new device.
    await fresh.engine.loadOlder(alice.person.userId);
    await alice.engine.sendText(bobAccount.userId, "is this really you?");
    await until(() => fresh.engine.messages(alice.person.userId).messages.some((m) => m.body === "is this really you?"));
  });
});
