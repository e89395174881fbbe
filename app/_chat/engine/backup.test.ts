// The backup, through the ChatEngine façade against the fake chat API and an in-process backup
// worker: the recovery key shown once, one sealed copy per secret, a backup a moment after changes
// (a burst makes one), the passphrase copy added and removed. fake-indexeddb stands in for IndexedDB.
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../crypto";
import { FakeChatServer, until } from "./testing/fake-chat-server";
import { readyTestEngine, stopTestEngines } from "./testing/test-engine";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("backup", () => {
  it("shows the recovery key once and uploads the first backup sealed with it", async () => {
    const server = new FakeChatServer();
    const alice = await readyTestEngine(server, server.createAccount("alice"), "laptop");
    expect(alice.engine.getSnapshot().backup).toMatchObject({ enabled: false, pendingRecoveryKey: null });
    await alice.engine.enableBackup();
    const { backup } = alice.engine.getSnapshot();
    expect(backup).toMatchObject({ enabled: true, hasPassphrase: false, running: false, error: null, lastBackupAt: expect.any(Number) });
    expect(backup.pendingRecoveryKey).toMatch(/^\d{60}$/);
    expect(alice.worker.runs).toEqual([{ op: "seal", secret: { recoveryKey: backup.pendingRecoveryKey } }]);
    expect(server.backupVersion(alice.person.userId, "recoveryKey")).toBe(1);
    alice.engine.confirmRecoveryKeySaved();
    expect(alice.engine.getSnapshot().backup.pendingRecoveryKey).toBeNull();
  });

  it("backs up once a moment after a burst of changes, and not before", async () => {
    const server = new FakeChatServer();
    const bob = await readyTestEngine(server, server.createAccount("bob"), "desktop");
    const alice = await readyTestEngine(server, server.createAccount("alice"), "laptop", { delays: { backupMs: 400 } });
    await alice.engine.enableBackup();
    await alice.engine.openConversation("bob");
    await Promise.all(["one", "two", "three"].map((body) => alice.engine.sendText(bob.person.userId, body)));
    expect(server.backupVersion(alice.person.userId, "recoveryKey")).toBe(1);
    await until(() => server.backupVersion(alice.person.userId, "recoveryKey") === 2);
    await sleep(600);
    expect(server.backupVersion(alice.person.userId, "recoveryKey")).toBe(2);
    expect(alice.worker.runs.filter((r) => r.op === "seal")).toHaveLength(2);
  });

  it("adds a copy sealed with a passphrase, and deletes it when the passphrase is removed", async () => {
    const server = new FakeChatServer();
    const alice = await readyTestEngine(server, server.createAccount("alice"), "laptop");
    await alice.engine.enableBackup();
    await expect(alice.engine.setPassphrase("too short")).rejects.toMatchObject({ code: "chat_passphrase_too_short" });
    await alice.engine.setPassphrase("correct horse battery staple");
    expect(alice.engine.getSnapshot().backup.hasPassphrase).toBe(true);
    expect(alice.worker.runs.slice(1).map((r) => r.secret)).toEqual([{ recoveryKey: expect.any(String) }, { passphrase: "correct horse battery staple" }]);
    expect(server.backupVersion(alice.person.userId, "passphrase")).toBe(2);
    await alice.engine.removePassphrase();
    expect(server.backupVersion(alice.person.userId, "passphrase")).toBeNull();
    expect(alice.engine.getSnapshot().backup.hasPassphrase).toBe(false);
  });
});
