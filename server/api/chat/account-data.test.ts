// What the chat keeps per account besides devices and envelopes (the local-storage secret, device-
// link slots, encrypted backups), through tRPC's caller on the real test database: the secret is
// made once and stays the same, and all of it goes when the account is deleted.
import { describe, expect, it } from "vitest";
import { signedUpPerson, TEST_PASSWORD } from "../../testing/test-browser";
import { connectTestDatabase, randomBytes } from "./chat-testing";

const database = connectTestDatabase();

async function rowsOf(table: string, userId: string): Promise<number> {
  const { rows } = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE user_id = $1`, [userId]);
  return rows[0]!.n;
}

describe("the storage secret", () => {
  it("is 32 random bytes, made on the first call and the same afterwards, and each account's own", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const first = await Promise.all([1, 2, 3].map(() => alice.call((api) => api.chat.storage.secret())));
    expect(new Set(first.map((r) => r.secret)).size).toBe(1);
    const { secret } = first[0]!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, "base64url")).toHaveLength(32);
    expect(await alice.call((api) => api.chat.storage.secret())).toEqual({ secret });
    expect((await bob.call((api) => api.chat.storage.secret())).secret).not.toBe(secret);
  });
});

describe("account deletion", () => {
  it("deletes the storage secret, device-link slots and backups with the account", async () => {
    const alice = await signedUpPerson();
    await alice.call((api) => api.chat.storage.secret());
    await alice.call((api) => api.chat.link.open({ lookupId: randomBytes(16) }));
    await database.query("INSERT INTO chat_backups (user_id, kind, version, blob) VALUES ($1, 'passphrase', 1, $2)", [alice.id, Buffer.from([1, 2, 3])]);
    const tables = ["chat_storage_secrets", "chat_link_requests", "chat_backups"];
    for (const table of tables) expect(await rowsOf(table, alice.id), table).toBe(1);

    await alice.call((api) => api.privacy.deleteAccount({ password: TEST_PASSWORD, now: true }));
    for (const table of tables) expect(await rowsOf(table, alice.id), table).toBe(0);
  });
});

describe("the backups table", () => {
  it("accepts only the two kinds of secret the protocol names", async () => {
    const alice = await signedUpPerson();
    await expect(database.query("INSERT INTO chat_backups (user_id, kind, version, blob) VALUES ($1, 'other', 1, '\\x01')", [alice.id])).rejects.toThrow(
      /chat_backups_kind_check/,
    );
  });
});
