// Who may see an image, against the real test database: what a stranger, a follower, a blocked
// person and the owner each get for the same media id.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { person, visitor } from "../actor";
import { createUser } from "../auth/users";
import { db } from "../db";
import { uniqueEmail, uniqueHandle } from "../../testing/unique";
import { createMedia, deleteUnattachedMediaOlderThan, findMediaForViewer } from "./media";

const HOUR = 60 * 60 * 1000;

async function newPerson(options: { isProtected?: boolean } = {}): Promise<string> {
  const { id } = await createUser({
    actor: visitor,
    purpose: "core.account",
    handle: uniqueHandle(),
    email: uniqueEmail(),
    passwordHash: "not-a-real-hash",
    locale: null,
  });
  // Upsert: whether createUser makes the profile row is not this test's concern.
  const isProtected = options.isProtected ?? false;
  await db().profile.upsert({ where: { userId: id }, create: { userId: id, isProtected }, update: { isProtected } });
  return id;
}

async function upload(ownerId: string): Promise<{ id: string; storageKey: string }> {
  const storageKey = randomBytes(16).toString("hex");
  const { id } = await createMedia({
    actor: person(ownerId),
    purpose: "core.media",
    storageKey,
    mimeType: "image/webp",
    width: 640,
    height: 480,
    bytes: 12_345,
  });
  return { id, storageKey };
}

async function postWithImage(authorId: string): Promise<string> {
  const media = await upload(authorId);
  const postId = randomUuid();
  await db().post.create({ data: { id: postId, authorId, text: "look", rootId: postId } });
  await db().media.update({ where: { id: media.id }, data: { postId } });
  return media.id;
}

async function storyWithImage(authorId: string, expiresAt: Date): Promise<string> {
  const media = await upload(authorId);
  await db().story.create({ data: { authorId, mediaId: media.id, expiresAt } });
  return media.id;
}

async function follow(followerId: string, followeeId: string): Promise<void> {
  await db().follow.create({ data: { followerId, followeeId } });
}

async function block(blockerId: string, blockedId: string): Promise<void> {
  await db().block.create({ data: { blockerId, blockedId } });
}

function randomUuid(): string {
  return crypto.randomUUID();
}

function seenBy(viewerId: string, mediaId: string, now?: Date) {
  return findMediaForViewer({ actor: person(viewerId), purpose: "core.media", mediaId, now });
}

describe("createMedia", () => {
  it("records the upload as the actor's, used nowhere yet", async () => {
    const owner = await newPerson();
    const { id, storageKey } = await upload(owner);
    const row = await db().media.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ ownerId: owner, storageKey, postId: null, mimeType: "image/webp", width: 640, height: 480, bytes: 12_345 });
  });
});

describe("findMediaForViewer", () => {
  it("shows an unused upload to its owner only, never cached for long", async () => {
    const owner = await newPerson();
    const follower = await newPerson();
    await follow(follower, owner);
    const { id, storageKey } = await upload(owner);
    expect(await seenBy(owner, id)).toEqual({ storageKey, mimeType: "image/webp", ownerId: owner, isPublic: false });
    expect(await seenBy(follower, id)).toBeNull();
    expect(await seenBy(await newPerson(), id)).toBeNull();
  });

  it("returns null for an id that does not exist, exactly as for a hidden image", async () => {
    expect(await seenBy(await newPerson(), randomUuid())).toBeNull();
  });

  it("shows a public account's post image to anyone signed in, as cacheable", async () => {
    const author = await newPerson();
    const mediaId = await postWithImage(author);
    expect(await seenBy(await newPerson(), mediaId)).toMatchObject({ ownerId: author, isPublic: true });
    expect(await seenBy(author, mediaId)).toMatchObject({ isPublic: true });
  });

  it("shows a protected account's post image to its followers and itself only, never as cacheable", async () => {
    const author = await newPerson({ isProtected: true });
    const follower = await newPerson();
    await follow(follower, author);
    const mediaId = await postWithImage(author);
    expect(await seenBy(await newPerson(), mediaId)).toBeNull();
    expect(await seenBy(follower, mediaId)).toMatchObject({ isPublic: false });
    expect(await seenBy(author, mediaId)).toMatchObject({ isPublic: false });
  });

  it("hides post images across a block, whichever side blocked", async () => {
    const author = await newPerson();
    const blockedByAuthor = await newPerson();
    const blockerOfAuthor = await newPerson();
    await block(author, blockedByAuthor);
    await block(blockerOfAuthor, author);
    const mediaId = await postWithImage(author);
    expect(await seenBy(blockedByAuthor, mediaId)).toBeNull();
    expect(await seenBy(blockerOfAuthor, mediaId)).toBeNull();
  });

  it("shows a protected account's avatar and header to strangers, but not across a block", async () => {
    const owner = await newPerson({ isProtected: true });
    const avatar = await upload(owner);
    const header = await upload(owner);
    await db().profile.update({ where: { userId: owner }, data: { avatarMediaId: avatar.id, headerMediaId: header.id } });
    const stranger = await newPerson();
    const blockedByOwner = await newPerson();
    const blockerOfOwner = await newPerson();
    await block(owner, blockedByOwner);
    await block(blockerOfOwner, owner);

    for (const { id } of [avatar, header]) {
      expect(await seenBy(stranger, id)).toMatchObject({ ownerId: owner, isPublic: false });
      expect(await seenBy(blockedByOwner, id)).toBeNull();
      expect(await seenBy(blockerOfOwner, id)).toBeNull();
    }
  });

  it("lets a public account's avatar be cached", async () => {
    const owner = await newPerson();
    const avatar = await upload(owner);
    await db().profile.update({ where: { userId: owner }, data: { avatarMediaId: avatar.id } });
    expect(await seenBy(await newPerson(), avatar.id)).toMatchObject({ isPublic: true });
  });

  it("shows a live story's image to its author and followers only, even for a public account", async () => {
    const author = await newPerson();
    const follower = await newPerson();
    await follow(follower, author);
    const mediaId = await storyWithImage(author, new Date(Date.now() + 23 * HOUR));
    expect(await seenBy(follower, mediaId)).toMatchObject({ isPublic: false });
    expect(await seenBy(author, mediaId)).toMatchObject({ isPublic: false });
    expect(await seenBy(await newPerson(), mediaId)).toBeNull();
  });

  it("never serves a story's image after the story expired, not even to its author", async () => {
    const author = await newPerson();
    const follower = await newPerson();
    await follow(follower, author);
    const expired = await storyWithImage(author, new Date(Date.now() - 1000));
    expect(await seenBy(follower, expired)).toBeNull();
    expect(await seenBy(author, expired)).toBeNull();

    const expiresAt = new Date(Date.now() + HOUR);
    const live = await storyWithImage(author, expiresAt);
    expect(await seenBy(follower, live, new Date(expiresAt.getTime() - 1))).not.toBeNull();
    expect(await seenBy(follower, live, expiresAt)).toBeNull();
  });

  it("hides a story's image from a follower who was blocked", async () => {
    const author = await newPerson();
    const follower = await newPerson();
    await follow(follower, author);
    await block(author, follower);
    const mediaId = await storyWithImage(author, new Date(Date.now() + HOUR));
    expect(await seenBy(follower, mediaId)).toBeNull();
  });
});

describe("deleteUnattachedMediaOlderThan", () => {
  it("deletes only old uploads used nowhere and returns their storage keys", async () => {
    const owner = await newPerson();
    const longAgo = new Date("2001-01-01T00:00:00Z");
    const cutoff = new Date("2001-01-02T00:00:00Z");
    const backdate = (id: string) => db().media.update({ where: { id }, data: { createdAt: longAgo } });

    const abandoned = await upload(owner);
    const recent = await upload(owner);
    const inPost = { id: await postWithImage(owner) };
    const avatar = await upload(owner);
    await db().profile.update({ where: { userId: owner }, data: { avatarMediaId: avatar.id } });
    const inStory = { id: await storyWithImage(owner, new Date(Date.now() + HOUR)) };
    for (const { id } of [abandoned, inPost, avatar, inStory]) await backdate(id);

    const keys = await deleteUnattachedMediaOlderThan({ olderThan: cutoff });
    expect(keys).toContain(abandoned.storageKey);
    const left = await db().media.findMany({ where: { ownerId: owner }, select: { id: true } });
    expect(left.map((m) => m.id).sort()).toEqual([recent.id, inPost.id, avatar.id, inStory.id].sort());
    expect(await deleteUnattachedMediaOlderThan({ olderThan: cutoff })).not.toContain(abandoned.storageKey);
  });
});
