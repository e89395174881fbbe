// The social API end to end through tRPC's caller, on the real test database: who may do what to
// whose content, and what blocks, protected accounts and mutes hide.
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../data/db";
import { deleteExpiredStories } from "../../data/social/stories";
import type { AppError } from "../../errors";
import { signedUpPerson, type TestPerson } from "../../testing/test-browser";

beforeAll(() => {
  process.env.HEARTH_TEST_CLOCK = "1";
});

async function expectError(promise: Promise<unknown>, code: TRPCError["code"], appCodeOrField?: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected the call to fail").toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  if (appCodeOrField) {
    const cause = (error as TRPCError).cause as AppError & { issues?: { message: string }[] };
    expect(cause.issues ? cause.issues.map((i) => i.message) : [cause.code]).toContain(appCodeOrField);
  }
}

async function post(author: TestPerson, text: string, extra: { replyToId?: string; quoteOfId?: string } = {}) {
  return author.call((api) => api.social.posts.create({ text, ...extra }));
}

async function homeTexts(person: TestPerson): Promise<string[]> {
  const page = await person.call((api) => api.social.timeline.home({}));
  return page.entries.map((e) => (e.repostedBy ? `${e.repostedBy.handle} reposted: ${e.post.text}` : e.post.text));
}

async function protect(person: TestPerson) {
  await person.call((api) => api.social.people.updateProfile({ isProtected: true }));
}

describe("posts", () => {
  it("are limited to 500 grapheme clusters, however many bytes those take", async () => {
    const alice = await signedUpPerson();
    const family = "👩‍👩‍👧‍👦";
    const created = await post(alice, family.repeat(500));
    expect(created.text).toBe(family.repeat(500));
    await expectError(post(alice, "a".repeat(501)), "BAD_REQUEST", "post_too_long");
    await expectError(post(alice, "   "), "BAD_REQUEST", "post_empty");
  });

  it("are stored once however often the composer sends the same one (a retry after a lost answer), and only for their author", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const clientRequestId = crypto.randomUUID();
    const first = await alice.call((api) => api.social.posts.create({ text: "sent once", clientRequestId }));
    // A retry, and two more racing each other: the same post comes back each time.
    const again = await Promise.all([1, 2, 3].map(() => alice.call((api) => api.social.posts.create({ text: "sent once", clientRequestId }))));
    expect(again.map((p) => p.id)).toEqual([first.id, first.id, first.id]);
    const mine = await alice.call((api) => api.social.timeline.profile({ handle: alice.handle }));
    expect(mine.entries.filter((e) => e.post.text === "sent once")).toHaveLength(1);
    // Another author's id space is their own: Bob's post with the same name is his.
    const bobs = await bob.call((api) => api.social.posts.create({ text: "bob's", clientRequestId }));
    expect(bobs.id).not.toBe(first.id);
    await expectError(
      alice.call((api) => api.social.posts.create({ text: "x", clientRequestId: "not-a-uuid" })),
      "BAD_REQUEST",
      "id_invalid",
    );
  });

  it("cannot be edited or deleted by anyone but their author", async () => {
    const alice = await signedUpPerson();
    const mallory = await signedUpPerson();
    const { id } = await post(alice, "mine");
    await expectError(
      mallory.call((api) => api.social.posts.edit({ id, text: "pwned" })),
      "FORBIDDEN",
    );
    await expectError(
      mallory.call((api) => api.social.posts.delete({ id })),
      "FORBIDDEN",
    );
    expect((await alice.call((api) => api.social.posts.get({ id }))).text).toBe("mine");
  });

  it("can be edited within an hour, with the earlier version shown to readers", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const { id } = await post(alice, "first version");
    await alice.call((api) => api.social.posts.edit({ id, text: "second version" }));
    const seen = await bob.call((api) => api.social.posts.get({ id }));
    expect(seen.text).toBe("second version");
    expect(seen.editedAt).not.toBeNull();
    expect((await bob.call((api) => api.social.posts.edits({ id }))).map((e) => e.text)).toEqual(["first version"]);

    alice.browser.setHeader("x-hearth-test-now", new Date(Date.now() + 61 * 60 * 1000).toISOString());
    await expectError(
      alice.call((api) => api.social.posts.edit({ id, text: "too late" })),
      "FORBIDDEN",
    );
  });

  it("form threads: a reply knows its parent, and the thread shows ancestors and replies", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const root = await post(alice, "root");
    const reply = await post(bob, "reply", { replyToId: root.id });
    const nested = await post(alice, "nested", { replyToId: reply.id });
    expect(nested.rootId).toBe(root.id);
    expect(nested.replyTo).toEqual({ id: reply.id, authorHandle: bob.handle });

    const thread = await bob.call((api) => api.social.timeline.thread({ id: reply.id }));
    expect(thread.ancestors.map((p) => p.text)).toEqual(["root"]);
    expect(thread.post.text).toBe("reply");
    expect(thread.replies.entries.map((e) => e.post.text)).toEqual(["nested"]);
    expect((await alice.call((api) => api.social.posts.get({ id: root.id }))).counts.replies).toBe(1);
  });

  it("count likes once per person and tell the author, and unliking takes it back", async () => {
    const alice = await signedUpPerson();
    const fans = await Promise.all([signedUpPerson(), signedUpPerson(), signedUpPerson()]);
    const { id } = await post(alice, "like me");
    for (const fan of fans) {
      await fan.call((api) => api.social.posts.setLike({ id, liked: true }));
      await fan.call((api) => api.social.posts.setLike({ id, liked: true }));
    }
    expect((await alice.call((api) => api.social.posts.get({ id }))).counts.likes).toBe(3);
    const groups = await alice.call((api) => api.social.notifications.list());
    const likes = groups.find((g) => g.kind === "like" && g.post?.id === id);
    expect(likes?.actorCount).toBe(3);
    // One group on the page, so one on the badge.
    expect(await alice.call((api) => api.social.notifications.unreadCount())).toBe(1);

    await fans[0]!.call((api) => api.social.posts.setLike({ id, liked: false }));
    expect((await alice.call((api) => api.social.posts.get({ id }))).counts.likes).toBe(2);
    await alice.call((api) => api.social.notifications.markAllRead());
    expect(await alice.call((api) => api.social.notifications.unreadCount())).toBe(0);
  });

  it("turn @mentions, #hashtags and replies into notifications and hashtag pages", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const tag = `tag${Date.now()}`;
    await post(alice, `hello @${bob.handle.toUpperCase()} #${tag}`);
    const groups = await bob.call((api) => api.social.notifications.list());
    expect(groups.map((g) => g.kind)).toContain("mention");
    const page = await bob.call((api) => api.social.timeline.hashtag({ tag: `#${tag.toUpperCase()}` }));
    expect(page.entries.map((e) => e.post.author.handle)).toEqual([alice.handle]);
  });
});

describe("the home timeline", () => {
  it("is the followed people's posts and reposts and one's own, strictly newest first", async () => {
    const reader = await signedUpPerson();
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const stranger = await signedUpPerson();
    await reader.call((api) => api.social.people.follow({ userId: alice.id }));
    await reader.call((api) => api.social.people.follow({ userId: bob.id }));
    const a1 = await post(alice, "a1");
    await post(stranger, "not followed");
    await post(bob, "b1");
    await post(reader, "mine");
    await bob.call((api) => api.social.posts.setRepost({ id: a1.id, reposted: true }));
    expect(await homeTexts(reader)).toEqual([`${bob.handle} reposted: a1`, "mine", "b1", "a1"]);
  });

  it("pages by cursor through every entry exactly once", async () => {
    const reader = await signedUpPerson();
    const authors = await Promise.all([signedUpPerson(), signedUpPerson(), signedUpPerson()]);
    for (const author of authors) await reader.call((api) => api.social.people.follow({ userId: author.id }));
    const written: string[] = [];
    for (let i = 0; i < 45; i++) {
      const text = `post ${i}`;
      await post(authors[i % 3]!, text);
      written.push(text);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { entries: { post: { text: string } }[]; nextCursor: string | null } = await reader.call((api) => api.social.timeline.home({ cursor }));
      seen.push(...page.entries.map((e) => e.post.text));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(written.reverse());
  });

  it("refuses a forged cursor as a client error", async () => {
    const reader = await signedUpPerson();
    await expectError(
      reader.call((api) => api.social.timeline.home({ cursor: "not-a-cursor" })),
      "BAD_REQUEST",
      "CURSOR_INVALID",
    );
  });

  it("counts new entries since the page was loaded", async () => {
    const reader = await signedUpPerson();
    const alice = await signedUpPerson();
    await reader.call((api) => api.social.people.follow({ userId: alice.id }));
    const since = new Date();
    await post(alice, "fresh 1");
    await post(alice, "fresh 2");
    expect(await reader.call((api) => api.social.timeline.countNew({ since }))).toBe(2);
  });
});

describe("protected accounts", () => {
  it("show posts only to approved followers", async () => {
    const owner = await signedUpPerson();
    const stranger = await signedUpPerson();
    await protect(owner);
    const secret = await post(owner, "for followers only");

    await expectError(
      stranger.call((api) => api.social.posts.get({ id: secret.id })),
      "NOT_FOUND",
    );
    await expectError(
      stranger.call((api) => api.social.timeline.thread({ id: secret.id })),
      "NOT_FOUND",
    );
    expect((await stranger.call((api) => api.social.timeline.profile({ handle: owner.handle }))).entries).toEqual([]);
    expect((await stranger.call((api) => api.social.people.profile({ handle: owner.handle }))).canSeePosts).toBe(false);
    await expectError(
      stranger.call((api) => api.social.posts.create({ text: "sneaky", replyToId: secret.id })),
      "NOT_FOUND",
    );
    expect((await stranger.call((api) => api.social.search.posts({ query: "followers" }))).posts.map((p) => p.id)).not.toContain(secret.id);

    expect(await stranger.call((api) => api.social.people.follow({ userId: owner.id }))).toEqual({ state: "requested" });
    await expectError(
      stranger.call((api) => api.social.posts.get({ id: secret.id })),
      "NOT_FOUND",
    );
    const requests = await owner.call((api) => api.social.people.followRequests());
    expect(requests.map((r) => r.requester.handle)).toEqual([stranger.handle]);
    await owner.call((api) => api.social.people.answerFollowRequest({ userId: stranger.id, approve: true }));
    expect((await stranger.call((api) => api.social.posts.get({ id: secret.id }))).text).toBe("for followers only");
  });

  it("cannot be reposted or quoted by others", async () => {
    const owner = await signedUpPerson();
    const follower = await signedUpPerson();
    await protect(owner);
    await follower.call((api) => api.social.people.follow({ userId: owner.id }));
    await owner.call((api) => api.social.people.answerFollowRequest({ userId: follower.id, approve: true }));
    const secret = await post(owner, "not for spreading");
    await expectError(
      follower.call((api) => api.social.posts.setRepost({ id: secret.id, reposted: true })),
      "FORBIDDEN",
    );
    await expectError(
      follower.call((api) => api.social.posts.create({ text: "look", quoteOfId: secret.id })),
      "FORBIDDEN",
    );
  });
});

describe("blocks", () => {
  it("hide both people from each other everywhere and end follows", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    await alice.call((api) => api.social.people.follow({ userId: bob.id }));
    await bob.call((api) => api.social.people.follow({ userId: alice.id }));
    const word = `blockword${Date.now()}`;
    const alicePost = await post(alice, `alice says ${word}`);
    const bobPost = await post(bob, `bob says ${word}`);

    await alice.call((api) => api.social.people.setBlock({ userId: bob.id, blocked: true }));

    await expectError(
      bob.call((api) => api.social.people.profile({ handle: alice.handle })),
      "NOT_FOUND",
    );
    await expectError(
      bob.call((api) => api.social.posts.get({ id: alicePost.id })),
      "NOT_FOUND",
    );
    await expectError(
      alice.call((api) => api.social.posts.get({ id: bobPost.id })),
      "NOT_FOUND",
    );
    expect(await homeTexts(bob)).not.toContain(`alice says ${word}`);
    expect(await homeTexts(alice)).not.toContain(`bob says ${word}`);
    expect((await bob.call((api) => api.social.search.posts({ query: word }))).posts.map((p) => p.author.handle)).toEqual([bob.handle]);
    expect((await bob.call((api) => api.social.search.people({ query: alice.handle }))).map((p) => p.handle)).not.toContain(alice.handle);

    await expectError(
      bob.call((api) => api.social.people.follow({ userId: alice.id })),
      "FORBIDDEN",
      "BLOCKED",
    );
    await expectError(
      bob.call((api) => api.social.posts.create({ text: "hey", replyToId: alicePost.id })),
      "NOT_FOUND",
    );
    await expectError(
      bob.call((api) => api.social.posts.create({ text: "hey", quoteOfId: alicePost.id })),
      "NOT_FOUND",
    );
    await expectError(
      bob.call((api) => api.social.posts.setLike({ id: alicePost.id, liked: true })),
      "NOT_FOUND",
    );
    await post(bob, `@${alice.handle} can you hear me`);
    expect((await alice.call((api) => api.social.notifications.list())).map((g) => g.kind)).not.toContain("mention");
    expect(
      await db().follow.count({
        where: {
          OR: [
            { followerId: alice.id, followeeId: bob.id },
            { followerId: bob.id, followeeId: alice.id },
          ],
        },
      }),
    ).toBe(0);
  });
});

describe("mutes", () => {
  it("quiet the timeline, notifications and search silently, without hiding the profile", async () => {
    const reader = await signedUpPerson();
    const loud = await signedUpPerson();
    await reader.call((api) => api.social.people.follow({ userId: loud.id }));
    const word = `muteword${Date.now()}`;
    const loudPost = await post(loud, `loud ${word} @${reader.handle}`);
    await reader.call((api) => api.social.people.setMute({ userId: loud.id, muted: true }));

    expect(await homeTexts(reader)).not.toContain(loudPost.text);
    expect(await reader.call((api) => api.social.notifications.unreadCount())).toBe(0);
    expect((await reader.call((api) => api.social.search.posts({ query: word }))).posts).toEqual([]);
    expect((await reader.call((api) => api.social.people.profile({ handle: loud.handle }))).relationship?.muting).toBe(true);
    const followers = await loud.call((api) => api.social.people.profile({ handle: loud.handle }));
    expect(followers.counts.followers).toBe(1);
  });
});

describe("search", () => {
  it("finds posts by their words and people by part of their handle", async () => {
    const alice = await signedUpPerson();
    const reader = await signedUpPerson();
    const word = `zanzibar${Date.now()}`;
    await post(alice, `A trip to ${word} soon`);
    const found = await reader.call((api) => api.social.search.posts({ query: word }));
    expect(found.posts.map((p) => p.author.handle)).toEqual([alice.handle]);
    const people = await reader.call((api) => api.social.search.people({ query: alice.handle.slice(0, 8) }));
    expect(people.map((p) => p.handle)).toContain(alice.handle);
    await expectError(
      reader.call((api) => api.social.search.posts({ query: "" })),
      "BAD_REQUEST",
      "query_required",
    );
  });
});

describe("stories", () => {
  it("are seen by followers for 24 hours, never after, and are then deleted for good", async () => {
    const author = await signedUpPerson();
    const follower = await signedUpPerson();
    const stranger = await signedUpPerson();
    await follower.call((api) => api.social.people.follow({ userId: author.id }));
    const { id } = await author.call((api) => api.social.stories.create({ text: "Sunset" }));

    const reels = await follower.call((api) => api.social.stories.reels());
    expect(reels.find((r) => r.author.handle === author.handle)?.stories.map((s) => s.text)).toEqual(["Sunset"]);
    expect((await stranger.call((api) => api.social.stories.reels())).map((r) => r.author.handle)).not.toContain(author.handle);

    await follower.call((api) => api.social.stories.markSeen({ id }));
    expect((await author.call((api) => api.social.stories.viewers({ id }))).map((v) => v.viewer.handle)).toEqual([follower.handle]);
    await expectError(
      follower.call((api) => api.social.stories.viewers({ id })),
      "NOT_FOUND",
    );

    const later = new Date(Date.now() + 24 * 60 * 60 * 1000 + 1000);
    follower.browser.setHeader("x-hearth-test-now", later.toISOString());
    expect((await follower.call((api) => api.social.stories.reels())).map((r) => r.author.handle)).not.toContain(author.handle);
    await expectError(
      follower.call((api) => api.social.stories.markSeen({ id })),
      "NOT_FOUND",
    );

    await deleteExpiredStories({ purpose: "core.stories", now: later });
    expect(await db().story.count({ where: { id } })).toBe(0);
    expect(await db().storyView.count({ where: { storyId: id } })).toBe(0);
  });
});
