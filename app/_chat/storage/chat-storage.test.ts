// fake-indexeddb stands in for the browser's IndexedDB (the outside API, not code of ours).
import "fake-indexeddb/auto";
import { openDB, type IDBPDatabase } from "idb";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { IdentityKeyPair, loadCryptoCore, PreKeyRecord, systemRandom } from "../crypto";
import { chatStorageExists, deleteChatStorage, openChatStorage, type ChatStorage, type OutboxItem, type StoredConversation, type StoredMessage } from "./index";
import { CHAT_DB_VERSION, chatDatabaseName, upgradeChatDb, type ChatDbSchema } from "./schema";

beforeAll(loadCryptoCore);

const random = systemRandom;
const opened: ChatStorage[] = [];
let nextUser = 0;

interface Message extends StoredMessage {
  body: string;
  attachmentKey?: Uint8Array;
}

interface Conversation extends StoredConversation {
  title: string;
}

interface Outgoing extends OutboxItem {
  envelope: Uint8Array;
}

async function create(): Promise<{ storage: ChatStorage; userId: string; storageSecret: Uint8Array; identityKeyPair: IdentityKeyPair }> {
  const userId = `user-${nextUser++}`;
  const storageSecret = random(32);
  const identityKeyPair = IdentityKeyPair.generate(random);
  const storage = await openChatStorage({ userId, storageSecret, identityKeyPair });
  opened.push(storage);
  return { storage, userId, storageSecret, identityKeyPair };
}

async function reopen(userId: string, storageSecret: Uint8Array): Promise<ChatStorage> {
  const storage = await openChatStorage({ userId, storageSecret });
  opened.push(storage);
  return storage;
}

/** The database as anyone holding the browser's files sees it. */
async function openRaw(userId: string): Promise<IDBPDatabase> {
  return openDB(chatDatabaseName(userId));
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return undefined;
}

/** `Array.fromAsync`, which Node 20 lacks. */
async function collect<T>(batches: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

function message(id: string, conversationId: string, sortAt: number): Message {
  return { id, conversationId, sortAt, body: `${conversationId}:${id}` };
}

afterEach(() => {
  for (const storage of opened.splice(0)) storage.close();
});

describe("opening the chat storage", () => {
  it("creates the database only with an identity key pair, and says whether it exists", async () => {
    const userId = "new-user";
    const storageSecret = random(32);
    expect(await chatStorageExists(userId)).toBe(false);
    expect(await codeOf(openChatStorage({ userId, storageSecret }))).toBe("not_found");
    expect(await chatStorageExists(userId)).toBe(false);

    const identityKeyPair = IdentityKeyPair.generate(random);
    const storage = await openChatStorage({ userId, storageSecret, identityKeyPair });
    expect(storage.userId).toBe(userId);
    expect(await chatStorageExists(userId)).toBe(true);
    storage.close();
    expect(await chatStorageExists(userId)).toBe(true);

    await deleteChatStorage(userId);
    expect(await chatStorageExists(userId)).toBe(false);
  });

  it("keeps the identity key pair fixed from creation, and refuses another one", async () => {
    const { storage, userId, storageSecret, identityKeyPair } = await create();
    storage.close();
    const again = await openChatStorage({ userId, storageSecret, identityKeyPair });
    opened.push(again);
    expect((await again.protocol.identity.getIdentityKeyPair()).serialize()).toEqual(identityKeyPair.serialize());
    again.close();
    expect(await codeOf(openChatStorage({ userId, storageSecret, identityKeyPair: IdentityKeyPair.generate(random) }))).toBe("identity_mismatch");
  });

  it("refuses a wrong storage secret, and one of the wrong length", async () => {
    const { storage, userId, storageSecret } = await create();
    await storage.setValue("k", "v");
    storage.close();
    expect(await codeOf(openChatStorage({ userId, storageSecret: random(32) }))).toBe("wrong_secret");
    expect(await codeOf(openChatStorage({ userId, storageSecret: storageSecret.subarray(0, 31) }))).toBe("invalid_secret");
    expect(await (await reopen(userId, storageSecret)).getValue("k")).toBe("v");
  });

  it("keeps the HKDF base key as a non-extractable CryptoKey (a CryptoKey survives structured cloning)", async () => {
    const { storage, userId } = await create();
    storage.close();
    const raw = await openRaw(userId);
    const baseKey: unknown = await raw.get("meta", "baseKey");
    raw.close();
    expect(baseKey).toBeInstanceOf(CryptoKey);
    expect((baseKey as CryptoKey).extractable).toBe(false);
    expect((baseKey as CryptoKey).algorithm.name).toBe("HKDF");
    expect((baseKey as CryptoKey).usages).toEqual(["deriveKey"]);
  });

  it("refuses calls once closed, and closes itself when the database is deleted", async () => {
    const { storage, userId } = await create();
    await deleteChatStorage(userId);
    expect(await codeOf(storage.getValue("k"))).toBe("closed");
    expect(await chatStorageExists(userId)).toBe(false);

    const other = await create();
    other.storage.close();
    other.storage.close();
    expect(await codeOf(other.storage.listConversations())).toBe("closed");
  });
});

describe("stored values", () => {
  it("round-trip through every store and persist across close and reopen", async () => {
    const { storage, userId, storageSecret } = await create();
    const settings = { theme: "dark", counters: [1, 2], secret: new Uint8Array([1, 2, 3]), $odd: { $b: "x" } };
    await storage.setValue("settings", settings);
    const conversation: Conversation = { id: "peer-1", lastActivityAt: 10, title: "Peer" };
    await storage.putConversation(conversation);
    const first: Message = { ...message("m1", "peer-1", 5), attachmentKey: new Uint8Array(32).fill(4) };
    await storage.putMessage(first);
    const outgoing: Outgoing = { id: "o1", createdAt: 3, envelope: new Uint8Array([9, 9]) };
    await storage.putOutboxItem(outgoing);
    storage.close();

    const reopened = await reopen(userId, storageSecret);
    expect(await reopened.getValue("settings")).toEqual(settings);
    expect(await reopened.getValue("missing")).toBeUndefined();
    expect(await reopened.getConversation<Conversation>("peer-1")).toEqual(conversation);
    expect(await reopened.getConversation("nobody")).toBeUndefined();
    expect(await reopened.getMessage<Message>("m1")).toEqual(first);
    expect(await reopened.getMessage("m2")).toBeUndefined();
    expect(await reopened.listOutbox<Outgoing>()).toEqual([outgoing]);

    await reopened.setValue("settings", { theme: "light" });
    expect(await reopened.getValue("settings")).toEqual({ theme: "light" });
    await reopened.deleteValue("settings");
    expect(await reopened.getValue("settings")).toBeUndefined();
    await reopened.putMessage({ ...first, body: "edited" });
    expect((await reopened.getMessage<Message>("m1"))!.body).toBe("edited");
    expect(await reopened.countMessages()).toBe(1);
    await reopened.deleteMessage("m1");
    expect(await reopened.getMessage("m1")).toBeUndefined();
    await reopened.deleteOutboxItem("o1");
    expect(await reopened.listOutbox()).toEqual([]);
  });

  it("refuses values the codec cannot store, and index fields that IndexedDB cannot index", async () => {
    const { storage } = await create();
    expect(await codeOf(storage.setValue("when", new Date()))).toBe("unsupported_value");
    expect(await codeOf(storage.putMessage({ id: "m", conversationId: "c", sortAt: Number.NaN }))).toBe("unsupported_value");
    expect(await codeOf(storage.putMessage({ id: "", conversationId: "c", sortAt: 1 }))).toBe("unsupported_value");
    expect(await codeOf(storage.putConversation({ id: "c", lastActivityAt: Infinity }))).toBe("unsupported_value");
    expect(await codeOf(storage.putOutboxItem({ id: "o", createdAt: Number.NaN }))).toBe("unsupported_value");
    expect(await storage.countMessages()).toBe(0);
  });
});

describe("encryption at rest", () => {
  /** Every string and byte array anywhere in the raw records of every store. */
  async function rawContents(userId: string): Promise<{ strings: string[]; bytes: Uint8Array[] }> {
    const raw = await openRaw(userId);
    const strings: string[] = [];
    const bytes: Uint8Array[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === "string") strings.push(value);
      else if (value instanceof Uint8Array) bytes.push(value);
      else if (Array.isArray(value)) value.forEach(walk);
      else if (typeof value === "object" && value !== null && !(value instanceof CryptoKey)) Object.values(value).forEach(walk);
    };
    for (const storeName of raw.objectStoreNames) {
      const tx = raw.transaction(storeName);
      for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
        walk(cursor.key);
        walk(cursor.value);
      }
    }
    raw.close();
    return { strings, bytes };
  }

  function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
    outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
      for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
      return true;
    }
    return false;
  }

  it("leaves no plaintext and no private key in the raw database", async () => {
    const { storage, userId, identityKeyPair } = await create();
    const distinctive = "Zanzibar-the-secret-rendezvous-7731";
    await storage.putMessage<Message>({ ...message("m1", "peer-1", 1), body: distinctive });
    await storage.putConversation<Conversation>({ id: "peer-1", lastActivityAt: 1, title: distinctive });
    await storage.setValue("draft", distinctive);
    await storage.putOutboxItem<Outgoing>({ id: "o1", createdAt: 1, envelope: new TextEncoder().encode(distinctive) });
    const preKey = PreKeyRecord.generate({ id: 1, random });
    await storage.protocol.preKeys.savePreKey(preKey);
    storage.close();

    const { strings, bytes } = await rawContents(userId);
    expect(strings.length).toBeGreaterThan(0);
    expect(bytes.length).toBeGreaterThan(0);
    for (const text of strings) expect(text).not.toContain("Zanzibar");
    const needles = {
      message: new TextEncoder().encode("Zanzibar"),
      identitySeed: identityKeyPair.serialize().subarray(1),
      preKeyPrivateKey: preKey.keyPair.privateKey,
      preKeyRecord: preKey.serialize(),
    };
    for (const value of bytes) {
      for (const [what, needle] of Object.entries(needles)) expect(contains(value, needle), what).toBe(false);
    }
    // The encoded JSON and base64 would show these if a value were stored unsealed.
    for (const value of bytes) expect(new TextDecoder().decode(value)).not.toMatch(/body|title|\$b/);
  });

  it("refuses a sealed value moved to another record, and clear fields that were changed", async () => {
    const { storage, userId, storageSecret } = await create();
    await storage.putMessages([message("m1", "peer-1", 1), message("m2", "peer-1", 2)]);
    await storage.setValue("a", "value a");
    await storage.setValue("b", "value b");
    await storage.protocol.preKeys.savePreKey(PreKeyRecord.generate({ id: 1, random }));
    await storage.protocol.preKeys.savePreKey(PreKeyRecord.generate({ id: 2, random }));
    storage.close();

    const raw = await openRaw(userId);
    const copySealed = async (storeName: string, from: IDBValidKey, to: IDBValidKey) => {
      const source = (await raw.get(storeName, from)) as { sealed: Uint8Array };
      const target = (await raw.get(storeName, to)) as { sealed: Uint8Array };
      await raw.put(storeName, { ...target, sealed: source.sealed });
    };
    await copySealed("messages", "m1", "m2");
    await copySealed("values", "a", "b");
    await copySealed("preKeys", 1, 2);
    const m1 = (await raw.get("messages", "m1")) as StoredMessage;
    await raw.put("messages", { ...m1, conversationId: "peer-2" });
    raw.close();

    const reopened = await reopen(userId, storageSecret);
    expect(await reopened.getValue("a")).toBe("value a");
    expect(await codeOf(reopened.getValue("b"))).toBe("corrupt");
    expect(await codeOf(reopened.getMessage("m2"))).toBe("corrupt");
    expect(await codeOf(reopened.getMessage("m1"))).toBe("corrupt");
    expect(await codeOf(reopened.listMessages("peer-2"))).toBe("corrupt");
    expect(await reopened.protocol.preKeys.getPreKey(1)).not.toBeNull();
    expect(await codeOf(reopened.protocol.preKeys.getPreKey(2))).toBe("corrupt");
  });
});

describe("conversations, messages and the outbox", () => {
  it("list conversations by last activity, newest first, and delete one with its messages", async () => {
    const { storage } = await create();
    await storage.putConversations<Conversation>([
      { id: "a", lastActivityAt: 20, title: "A" },
      { id: "b", lastActivityAt: 30, title: "B" },
      { id: "c", lastActivityAt: 10, title: "C" },
    ]);
    await storage.putConversation<Conversation>({ id: "c", lastActivityAt: 40, title: "C" });
    expect((await storage.listConversations<Conversation>()).map((c) => c.id)).toEqual(["c", "b", "a"]);

    await storage.putMessages([message("a1", "a", 1), message("a2", "a", 2), message("b1", "b", 1)]);
    expect(await storage.countMessages("a")).toBe(2);
    await storage.deleteConversation("a");
    expect(await storage.getConversation("a")).toBeUndefined();
    expect(await storage.countMessages("a")).toBe(0);
    expect(await storage.countMessages()).toBe(1);
  });

  it("page through a conversation backwards, each page in ascending order, skipping none on equal sortAt", async () => {
    const { storage } = await create();
    // sortAt 50 is shared by three messages; "other" must never show up.
    const sortAts = [10, 20, 30, 40, 50, 50, 50, 60, 70, 80];
    const messages = sortAts.map((sortAt, i) => message(`m${String(i).padStart(2, "0")}`, "peer", sortAt));
    await storage.putMessages([...messages].reverse());
    await storage.putMessages([message("x1", "other", 15), message("x2", "other", 55), message("x3", "peer-2", 45)]);

    const latest = await storage.listMessages<Message>("peer");
    expect(latest.map((m) => m.id)).toEqual(messages.map((m) => m.id));
    expect(await storage.countMessages("peer")).toBe(10);

    const pages: string[][] = [];
    let before: number | undefined;
    for (;;) {
      const page = await storage.listMessages<Message>("peer", { limit: 3, ...(before === undefined ? {} : { before }) });
      if (page.length === 0) break;
      pages.push(page.map((m) => m.id));
      before = page[0]!.sortAt;
    }
    expect(pages).toEqual([["m07", "m08", "m09"], ["m04", "m05", "m06"], ["m01", "m02", "m03"], ["m00"]]);
    // A page that would cut a run of equal sortAt takes the whole run.
    expect((await storage.listMessages("peer", { limit: 2, before: 60 })).map((m) => m.id)).toEqual(["m04", "m05", "m06"]);
    expect(await storage.listMessages("peer", { before: 10 })).toEqual([]);
    expect(await storage.listMessages("nobody")).toEqual([]);
    expect(await codeOf(storage.listMessages("peer", { limit: 0 }))).toBe("RangeError: limit must be a positive integer");
  });

  it("iterate over all messages in batches, sortAt ascending across conversations", async () => {
    const { storage } = await create();
    expect(await collect(storage.iterateMessages())).toEqual([]);
    const messages = [
      message("b", "p1", 3),
      message("a", "p2", 3),
      message("c", "p1", 1),
      message("d", "p3", 7),
      message("e", "p2", 2),
      message("f", "p1", 9),
      message("g", "p3", 4),
    ];
    await storage.putMessages(messages);
    const batches = await collect(storage.iterateMessages<Message>(3));
    expect(batches.map((batch) => batch.length)).toEqual([3, 3, 1]);
    expect(batches.flat().map((m) => m.id)).toEqual(["c", "e", "a", "b", "g", "d", "f"]);
    expect(batches.flat()[0]).toEqual(messages[2]);
    expect((await collect(storage.iterateMessages(7))).map((batch) => batch.length)).toEqual([7]);
    expect((await collect(storage.iterateMessages())).map((batch) => batch.length)).toEqual([7]);
  });

  it("list the outbox oldest first", async () => {
    const { storage } = await create();
    for (const [id, createdAt] of [
      ["o3", 30],
      ["o1", 10],
      ["o2", 20],
    ] as const) {
      await storage.putOutboxItem<Outgoing>({ id, createdAt, envelope: new Uint8Array([createdAt]) });
    }
    const items = await storage.listOutbox<Outgoing>();
    expect(items.map((item) => item.id)).toEqual(["o1", "o2", "o3"]);
    expect(items[0]!.envelope).toEqual(new Uint8Array([10]));
    await storage.deleteOutboxItem("o2");
    expect((await storage.listOutbox()).map((item) => item.id)).toEqual(["o1", "o3"]);
  });
});

describe("local copies of attachments", () => {
  const piece = (index: number, length = 1000) => Uint8Array.from({ length }, (_, i) => (index * 31 + i) % 251);

  it("read back in order across batches, sealed at rest, and deleted apart from other copies", async () => {
    const { storage, userId, storageSecret } = await create();
    // Written out of order: the index says where a piece belongs.
    for (const index of [3, 0, 11, 1, 2, 4, 5, 6, 7, 8, 9, 10]) await storage.putAttachmentChunk("photo", index, piece(index));
    await storage.putAttachmentChunk("other", 0, new TextEncoder().encode("Zanzibar-in-a-file"));
    expect(await collect(storage.readAttachmentChunks("photo"))).toEqual(Array.from({ length: 12 }, (_, i) => piece(i)));
    expect(await collect(storage.readAttachmentChunks("nothing"))).toEqual([]);
    storage.close();

    const raw = await openRaw(userId);
    const records = (await raw.getAll("attachmentChunks")) as { attachmentId: string; index: number; sealed: Uint8Array }[];
    expect(records).toHaveLength(13);
    for (const record of records) expect(new TextDecoder().decode(record.sealed)).not.toContain("Zanzibar");
    // A piece moved to another place does not open.
    const first = records.find((r) => r.attachmentId === "photo" && r.index === 0)!;
    await raw.put("attachmentChunks", { ...first, index: 1 });
    raw.close();

    const reopened = await reopen(userId, storageSecret);
    expect(await codeOf(collect(reopened.readAttachmentChunks("photo")))).toBe("corrupt");
    await reopened.deleteAttachmentChunks("photo");
    expect(await collect(reopened.readAttachmentChunks("photo"))).toEqual([]);
    expect((await collect(reopened.readAttachmentChunks("other"))).map((b) => new TextDecoder().decode(b))).toEqual(["Zanzibar-in-a-file"]);
    await expect(reopened.putAttachmentChunk("photo", -1, piece(0))).rejects.toMatchObject({ code: "unsupported_value" });
  });

  it("come with schema 2, whose upgrade keeps everything a version 1 database holds", async () => {
    expect(CHAT_DB_VERSION).toBe(2);
    const { storage, userId, storageSecret } = await create();
    await storage.putMessage<Message>({ ...message("m1", "peer-1", 1), body: "from version 1" });
    await storage.putConversation<Conversation>({ id: "peer-1", lastActivityAt: 1, title: "Peer" });
    await storage.setValue("draft", "kept");
    await storage.protocol.preKeys.savePreKey(PreKeyRecord.generate({ id: 7, random }));
    storage.close();

    // The same records in a database made by the version 1 schema, as an older Hearth left it.
    const current = await openRaw(userId);
    const oldUserId = `${userId}-v1`;
    const old = await openDB<ChatDbSchema>(chatDatabaseName(oldUserId), 1, { upgrade: (db, oldVersion) => upgradeChatDb(db, oldVersion, 1) });
    expect([...old.objectStoreNames]).not.toContain("attachmentChunks");
    for (const storeName of old.objectStoreNames) {
      const keys = await current.getAllKeys(storeName);
      const values = await current.getAll(storeName);
      const tx = old.transaction(storeName, "readwrite");
      // `meta` has no key path: its records go under their keys.
      const store = tx.objectStore(storeName) as unknown as { put(value: unknown, key?: IDBValidKey): Promise<unknown> };
      await Promise.all([...values.map((value, i) => (storeName === "meta" ? store.put(value, keys[i]) : store.put(value))), tx.done]);
    }
    current.close();
    old.close();

    const upgraded = await reopen(oldUserId, storageSecret);
    expect(await upgraded.getMessage<Message>("m1")).toMatchObject({ body: "from version 1" });
    expect(await upgraded.getConversation<Conversation>("peer-1")).toMatchObject({ title: "Peer" });
    expect(await upgraded.getValue("draft")).toBe("kept");
    expect(await upgraded.protocol.preKeys.getPreKey(7)).not.toBeNull();
    await upgraded.putAttachmentChunk("a", 0, piece(0));
    expect(await collect(upgraded.readAttachmentChunks("a"))).toEqual([piece(0)]);
  });
});

describe("exclusive", () => {
  it("runs one work at a time, in order, and goes on after a failure", async () => {
    const { storage } = await create();
    const log: string[] = [];
    const work =
      (name: string, fail = false) =>
      async () => {
        log.push(`${name} start`);
        const count = ((await storage.getValue<number>("count")) ?? 0) + 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        await storage.setValue("count", count);
        log.push(`${name} end`);
        if (fail) throw new Error(name);
        return count;
      };
    const results = await Promise.allSettled([storage.exclusive(work("a")), storage.exclusive(work("b", true)), storage.exclusive(work("c"))]);
    expect(log).toEqual(["a start", "a end", "b start", "b end", "c start", "c end"]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await storage.getValue("count")).toBe(3);
  });
});
