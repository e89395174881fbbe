// The chat's directory of people through tRPC's caller, on the real test database: names and
// avatars by handle and by id, and the people one follows, page by page; deactivated accounts and
// blocks (either way) hide a person.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signedUpPerson, type TestPerson } from "../../testing/test-browser";
import { connectTestDatabase, expectError } from "./chat-testing";

// Relations and avatars are set with plain SQL: this module's code may not import Prisma, and the
// test should not depend on the social module's API.
const database = connectTestDatabase();

const sql = (text: string, values: unknown[]) => database.query(text, values);
const follow = (followerId: string, followeeId: string) => sql("INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2)", [followerId, followeeId]);
const block = (blockerId: string, blockedId: string) => sql("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [blockerId, blockedId]);
const deactivate = (userId: string) => sql("UPDATE users SET deactivated_at = now() WHERE id = $1", [userId]);

async function setAvatar(userId: string): Promise<string> {
  const mediaId = randomUUID();
  await sql("INSERT INTO media (id, owner_id, storage_key, mime_type, width, height, bytes) VALUES ($1, $2, $3, 'image/webp', 1, 1, 1)", [
    mediaId,
    userId,
    randomUUID().replaceAll("-", ""),
  ]);
  await sql("INSERT INTO profiles (user_id, avatar_media_id) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET avatar_media_id = EXCLUDED.avatar_media_id", [
    userId,
    mediaId,
  ]);
  return mediaId;
}

async function displayNameOf(person: TestPerson): Promise<string> {
  const { rows } = await sql("SELECT display_name FROM users WHERE id = $1", [person.id]);
  return (rows[0] as { display_name: string }).display_name;
}

describe("the chat directory", () => {
  it("finds a person by handle or id, with the avatar URL the media route serves", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const carol = await signedUpPerson();
    const avatar = await setAvatar(bob.id);

    const expected = { userId: bob.id, handle: bob.handle, displayName: await displayNameOf(bob), avatarUrl: `/api/media/${avatar}/preview` };
    expect(await alice.call((api) => api.chat.directory.byHandle({ handle: bob.handle.toUpperCase() }))).toEqual(expected);
    expect(await alice.call((api) => api.chat.directory.byHandle({ handle: carol.handle }))).toMatchObject({ userId: carol.id, avatarUrl: null });

    // In the order asked, once each; unknown ids are left out.
    const people = await alice.call((api) => api.chat.directory.byIds({ userIds: [carol.id, randomUUID(), bob.id.toUpperCase(), carol.id] }));
    expect(people.map((p) => p.userId)).toEqual([carol.id, bob.id]);
    expect(people[1]).toEqual(expected);

    await expectError(
      alice.call((api) => api.chat.directory.byHandle({ handle: "nobody_here_at_all" })),
      "NOT_FOUND",
      "NOT_FOUND",
    );
    await expectError(
      alice.call((api) => api.chat.directory.byIds({ userIds: [] })),
      "BAD_REQUEST",
      "user_ids_empty",
    );
    await expectError(
      alice.call((api) => api.chat.directory.byIds({ userIds: Array.from({ length: 101 }, () => randomUUID()) })),
      "BAD_REQUEST",
      "too_many_user_ids",
    );
  });

  it("hides deactivated accounts and anyone in a block with the viewer, either way", async () => {
    const alice = await signedUpPerson();
    const [blockedByAlice, blockingAlice, gone, visible] = await Promise.all([signedUpPerson(), signedUpPerson(), signedUpPerson(), signedUpPerson()]);
    await block(alice.id, blockedByAlice.id);
    await block(blockingAlice.id, alice.id);
    await deactivate(gone.id);
    for (const other of [blockedByAlice, blockingAlice, gone, visible]) await follow(alice.id, other.id);

    await expectError(
      alice.call((api) => api.chat.directory.byHandle({ handle: blockedByAlice.handle })),
      "FORBIDDEN",
      "BLOCKED",
    );
    await expectError(
      alice.call((api) => api.chat.directory.byHandle({ handle: blockingAlice.handle })),
      "FORBIDDEN",
      "BLOCKED",
    );
    await expectError(
      alice.call((api) => api.chat.directory.byHandle({ handle: gone.handle })),
      "NOT_FOUND",
      "NOT_FOUND",
    );
    const ids = [blockedByAlice, blockingAlice, gone, visible].map((p) => p.id);
    expect((await alice.call((api) => api.chat.directory.byIds({ userIds: ids }))).map((p) => p.userId)).toEqual([visible.id]);
    expect((await alice.call((api) => api.chat.directory.following({}))).people.map((p) => p.userId)).toEqual([visible.id]);
  });

  it("lists the people one follows by handle, a page at a time", async () => {
    const alice = await signedUpPerson();
    const followed = await Promise.all(Array.from({ length: 5 }, () => signedUpPerson()));
    const stranger = await signedUpPerson();
    const follower = await signedUpPerson();
    for (const person of followed) await follow(alice.id, person.id);
    await follow(follower.id, alice.id);
    await follow(stranger.id, followed[0]!.id);

    const byHandle = followed.map((p) => p.handle).sort();
    const first = await alice.call((api) => api.chat.directory.following({ limit: 2 }));
    expect(first.people.map((p) => p.handle)).toEqual(byHandle.slice(0, 2));
    expect(first.nextCursor).toBe(byHandle[1]);
    const second = await alice.call((api) => api.chat.directory.following({ cursor: first.nextCursor, limit: 2 }));
    expect(second.people.map((p) => p.handle)).toEqual(byHandle.slice(2, 4));
    const last = await alice.call((api) => api.chat.directory.following({ cursor: second.nextCursor, limit: 2 }));
    expect(last).toEqual({ people: [expect.objectContaining({ handle: byHandle[4] })], nextCursor: null });

    expect((await alice.call((api) => api.chat.directory.following({}))).people).toHaveLength(5);
    expect(await stranger.call((api) => api.chat.directory.following({ cursor: null }))).toMatchObject({
      people: [{ userId: followed[0]!.id }],
      nextCursor: null,
    });
    await expectError(
      alice.call((api) => api.chat.directory.following({ cursor: "Not a cursor!" })),
      "BAD_REQUEST",
      "cursor_invalid",
    );
    await expectError(
      alice.call((api) => api.chat.directory.following({ limit: 51 })),
      "BAD_REQUEST",
    );
  });

  it("suggests the people one follows as a handle or a name is typed, and no one else", async () => {
    const alice = await signedUpPerson();
    const [rosa, rosalind, ben, blocked] = await Promise.all([signedUpPerson(), signedUpPerson(), signedUpPerson(), signedUpPerson()]);
    const stranger = await signedUpPerson();
    const named = (person: TestPerson, name: string) => sql("UPDATE users SET display_name = $2 WHERE id = $1", [person.id, name]);
    await Promise.all([named(rosa, "Rosa Luxemburg"), named(rosalind, "Rosalind Franklin"), named(ben, "Ben Rose"), named(stranger, "Rosa Parks")]);
    for (const person of [rosa, rosalind, ben, blocked]) await follow(alice.id, person.id);
    await block(blocked.id, alice.id);
    const suggest = (query: string) => alice.call((api) => api.chat.directory.suggest({ query })).then((people) => people.map((p) => p.userId));

    // By name, anywhere in it and in any case; never someone not followed, or in a block.
    expect((await suggest("ROS")).sort()).toEqual([rosa.id, rosalind.id, ben.id].sort());
    expect(await suggest("franklin")).toEqual([rosalind.id]);
    // By handle, with or without "@", the exact handle first.
    expect(await suggest(`@${rosa.handle.toUpperCase()}`)).toEqual([rosa.id]);
    expect(await suggest(blocked.handle)).toEqual([]);
    expect(await suggest(stranger.handle)).toEqual([]);
    // Nothing typed: the people followed, by handle; wildcards are only characters.
    expect(await suggest("")).toHaveLength(3);
    expect(await suggest("%")).toEqual([]);
    expect(await alice.call((api) => api.chat.directory.suggest({ query: "", limit: 1 }))).toHaveLength(1);

    await expectError(
      alice.call((api) => api.chat.directory.suggest({ query: "x".repeat(65) })),
      "BAD_REQUEST",
      "query_too_long",
    );
    await expectError(
      alice.call((api) => api.chat.directory.suggest({ query: "a\u0000b" })),
      "BAD_REQUEST",
      "text_invalid_characters",
    );
    await expectError(
      alice.call((api) => api.chat.directory.suggest({ query: "a", limit: 11 })),
      "BAD_REQUEST",
    );
  });

  it("says which of the people asked about the caller follows, and nothing about anyone else's follows", async () => {
    const [alice, bob, carol, dave] = await Promise.all([signedUpPerson(), signedUpPerson(), signedUpPerson(), signedUpPerson()]);
    await follow(alice.id, bob.id);
    await follow(carol.id, alice.id);
    await follow(dave.id, carol.id);
    const asked = [bob.id, carol.id, dave.id, randomUUID(), bob.id];
    expect(await alice.call((api) => api.chat.directory.followed({ userIds: asked }))).toEqual({ userIds: [bob.id] });
    // Being followed by carol says nothing here, nor do dave's own follows.
    expect(await dave.call((api) => api.chat.directory.followed({ userIds: [alice.id, bob.id] }))).toEqual({ userIds: [] });
    await expectError(
      alice.call((api) => api.chat.directory.followed({ userIds: [] })),
      "BAD_REQUEST",
      "user_ids_empty",
    );
    await expectError(
      alice.call((api) => api.chat.directory.followed({ userIds: Array.from({ length: 101 }, () => randomUUID()) })),
      "BAD_REQUEST",
      "too_many_user_ids",
    );
  });
});

describe("blocking from a message request", () => {
  it("makes Hearth's block: follows end both ways, the blocked person drops out of the directory, and oneself cannot be blocked", async () => {
    const [alice, bob] = await Promise.all([signedUpPerson(), signedUpPerson()]);
    await follow(alice.id, bob.id);
    await follow(bob.id, alice.id);
    expect(await alice.call((api) => api.chat.blocks.block({ userId: bob.id }))).toEqual({ ok: true });
    // Twice is the same block.
    await alice.call((api) => api.chat.blocks.block({ userId: bob.id }));
    const { rows } = await sql("SELECT blocker_id, blocked_id FROM blocks WHERE blocker_id = $1 OR blocker_id = $2", [alice.id, bob.id]);
    expect(rows).toEqual([{ blocker_id: alice.id, blocked_id: bob.id }]);
    const follows = await sql("SELECT 1 FROM follows WHERE follower_id = ANY($1::uuid[])", [[alice.id, bob.id]]);
    expect(follows.rows).toHaveLength(0);
    expect(await bob.call((api) => api.chat.directory.byIds({ userIds: [alice.id] }))).toEqual([]);
    await expectError(
      bob.call((api) => api.chat.directory.byHandle({ handle: alice.handle })),
      "FORBIDDEN",
      "BLOCKED",
    );
    await expectError(
      alice.call((api) => api.chat.blocks.block({ userId: alice.id })),
      "FORBIDDEN",
      "FORBIDDEN",
    );
    await expectError(
      alice.call((api) => api.chat.blocks.block({ userId: randomUUID() })),
      "NOT_FOUND",
      "NOT_FOUND",
    );
  });
});
