// The fanned-out home feed (migration 20261216120000_home_feed, server/data/social/home-feed.ts):
// after every way people change what a home timeline holds (posting, reposting, following,
// unfollowing, blocking, deleting, protecting, muting, deactivating), reading the feed gives
// exactly the entries the fan-in read over the followed accounts gives, and the timeline the app
// serves pages through every entry once, across the point from which a feed is complete.
import { beforeAll, describe, expect, it } from "vitest";
import { person } from "../../data/actor";
import { db } from "../../data/db";
import { firstPage } from "../../data/social/cursor";
import { mergeHomeSources, readHomeFeed, type EntryRow } from "../../data/social/home-feed";
import { listHomeTimeline } from "../../data/social/timelines";
import { signedUpPerson, type TestPerson } from "../../testing/test-browser";

beforeAll(() => {
  process.env.HEARTH_TEST_CLOCK = "1";
});

const ALL = 500;
const keyOf = (row: EntryRow) => `${row.post_id}:${row.reposter_id ?? ""}`;

async function post(author: TestPerson, text: string): Promise<string> {
  return (await author.call((api) => api.social.posts.create({ text }))).id;
}

/** The viewer's whole timeline read from the feed, after checking it equals the fan-in read. */
async function feedOf(viewer: TestPerson): Promise<string[]> {
  const position = firstPage();
  const [fromFeed, fanIn] = await Promise.all([
    readHomeFeed({ viewerId: viewer.id, position, limit: ALL }),
    mergeHomeSources({ viewerId: viewer.id, position, limit: ALL }),
  ]);
  expect(fromFeed.map(keyOf), "the feed and the fan-in read disagree").toEqual(fanIn.map(keyOf));
  return fromFeed.map(keyOf);
}

/** Rows stored in the viewer's feed that `source` put there, whether or not they are shown. */
async function storedFrom(viewer: TestPerson, source: TestPerson): Promise<number> {
  return db().homeFeedEntry.count({ where: { ownerId: viewer.id, sourceId: source.id } });
}

const own = (postId: string) => `${postId}:`;
const repost = (postId: string, by: TestPerson) => `${postId}:${by.id}`;

describe("the home feed", () => {
  it("gets every new post and repost of the followed, copies earlier ones on a follow, and loses them on an unfollow", async () => {
    const [alice, bob, carol] = await Promise.all([signedUpPerson(), signedUpPerson(), signedUpPerson()]);
    const early = await post(alice, "before bob followed");
    await bob.call((api) => api.social.people.follow({ userId: alice.id }));
    expect(await feedOf(bob)).toEqual([own(early)]);

    const later = await post(alice, "after bob followed");
    const bobs = await post(bob, "bob's own");
    expect(await feedOf(bob)).toEqual([own(bobs), own(later), own(early)]);

    await carol.call((api) => api.social.posts.setRepost({ id: early, reposted: true }));
    await bob.call((api) => api.social.people.follow({ userId: carol.id }));
    expect(await feedOf(bob)).toEqual([repost(early, carol), own(bobs), own(later), own(early)]);

    await bob.call((api) => api.social.people.unfollow({ userId: alice.id }));
    expect(await feedOf(bob)).toEqual([repost(early, carol), own(bobs)]);
    expect(await storedFrom(bob, alice)).toBe(0);

    await carol.call((api) => api.social.posts.setRepost({ id: early, reposted: false }));
    expect(await feedOf(bob)).toEqual([own(bobs)]);
    expect(await storedFrom(bob, carol)).toBe(0);
  });

  it("loses a deleted post everywhere, and shows nothing across a block, reposts of the blocker's posts included", async () => {
    const [alice, bob, carol] = await Promise.all([signedUpPerson(), signedUpPerson(), signedUpPerson()]);
    await bob.call((api) => api.social.people.follow({ userId: alice.id }));
    await bob.call((api) => api.social.people.follow({ userId: carol.id }));
    const kept = await post(alice, "kept");
    const deleted = await post(alice, "deleted");
    await carol.call((api) => api.social.posts.setRepost({ id: kept, reposted: true }));
    expect(await feedOf(bob)).toEqual([repost(kept, carol), own(deleted), own(kept)]);

    await alice.call((api) => api.social.posts.delete({ id: deleted }));
    expect(await feedOf(bob)).toEqual([repost(kept, carol), own(kept)]);
    expect(await db().homeFeedEntry.count({ where: { postId: deleted } })).toBe(0);

    await alice.call((api) => api.social.people.setBlock({ userId: bob.id, blocked: true }));
    // The block ended bob's follow of alice; carol's repost of alice's post is still stored in
    // bob's feed but must not be shown to him.
    expect(await storedFrom(bob, alice)).toBe(0);
    expect(await storedFrom(bob, carol)).toBe(1);
    expect(await feedOf(bob)).toEqual([]);
    const served = await listHomeTimeline({ actor: person(bob.id), purpose: "core.timeline" });
    expect(served.entries).toEqual([]);
  });

  it("holds a protected account's posts only once its owner approved the follow, and hides muted and deactivated accounts", async () => {
    const [owner, bob, loud, gone] = await Promise.all([signedUpPerson(), signedUpPerson(), signedUpPerson(), signedUpPerson()]);
    await owner.call((api) => api.social.people.updateProfile({ isProtected: true }));
    const secret = await post(owner, "for approved followers");
    expect(await bob.call((api) => api.social.people.follow({ userId: owner.id }))).toEqual({ state: "requested" });
    expect(await storedFrom(bob, owner)).toBe(0);
    expect(await feedOf(bob)).toEqual([]);
    await owner.call((api) => api.social.people.answerFollowRequest({ userId: bob.id, approve: true }));
    expect(await feedOf(bob)).toEqual([own(secret)]);

    await bob.call((api) => api.social.people.follow({ userId: loud.id }));
    await bob.call((api) => api.social.people.follow({ userId: gone.id }));
    const shout = await post(loud, "loud");
    const last = await post(gone, "before leaving");
    expect(await feedOf(bob)).toEqual([own(last), own(shout), own(secret)]);
    await bob.call((api) => api.social.people.setMute({ userId: loud.id, muted: true }));
    await db().user.update({ where: { id: gone.id }, data: { deactivatedAt: new Date() } });
    expect(await feedOf(bob)).toEqual([own(secret)]);
  });

  it("pages through every entry exactly once across the point from which the feed is complete", async () => {
    const [alice, bob] = await Promise.all([signedUpPerson(), signedUpPerson()]);
    // More than a follow copies (200): written in bulk, one millisecond apart, as old posts.
    const start = Date.now() - 60 * 60 * 1000;
    const ids = Array.from({ length: 230 }, () => crypto.randomUUID());
    await db().post.createMany({
      data: ids.map((id, i) => ({ id, authorId: alice.id, rootId: id, text: `old ${i}`, createdAt: new Date(start + i) })),
    });
    await bob.call((api) => api.social.people.follow({ userId: alice.id }));
    const feed = await db().homeFeed.findUniqueOrThrow({ where: { ownerId: bob.id } });
    // The follow copied the newest 201 entries and marked the feed complete after the oldest copied one.
    expect(feed.completeSince.getTime()).toBe(start + 29 + 1);
    expect(await storedFrom(bob, alice)).toBe(201);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listHomeTimeline({ actor: person(bob.id), purpose: "core.timeline", cursor, limit: 20 });
      seen.push(...page.entries.map((e) => e.post.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });
});
