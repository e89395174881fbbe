// The navigation badge and the notifications page count the same thing: the page's unread groups,
// after grouping, mutes, blocks and posts the reader can no longer see.
import { beforeAll, describe, expect, it } from "vitest";
import { signedUpPerson, type TestPerson } from "../../testing/test-browser";

beforeAll(() => {
  process.env.HEARTH_TEST_CLOCK = "1";
});

async function pageNewCount(person: TestPerson): Promise<number> {
  return (await person.call((api) => api.social.notifications.list())).filter((g) => g.unread).length;
}

describe("the unread badge", () => {
  it("equals the page's count of new notifications", async () => {
    const reader = await signedUpPerson();
    const [fan1, fan2, fan3, friend, loud, rude, shy] = await Promise.all(Array.from({ length: 7 }, () => signedUpPerson()));
    const mine = await reader.call((api) => api.social.posts.create({ text: "a post to like" }));

    // Three likes of one post and two follows: one group each on the page.
    for (const fan of [fan1!, fan2!, fan3!]) await fan.call((api) => api.social.posts.setLike({ id: mine.id, liked: true }));
    for (const fan of [fan1!, fan2!]) await fan.call((api) => api.social.people.follow({ userId: reader.id }));
    // A reply stands alone.
    await friend!.call((api) => api.social.posts.create({ text: "a reply", replyToId: mine.id }));
    // Silenced: a muted person's mention, a blocked person's mention.
    await loud!.call((api) => api.social.posts.create({ text: `hello @${reader.handle}` }));
    await reader.call((api) => api.social.people.setMute({ userId: loud!.id, muted: true }));
    await rude!.call((api) => api.social.posts.create({ text: `hey @${reader.handle}` }));
    await reader.call((api) => api.social.people.setBlock({ userId: rude!.id, blocked: true }));
    // A mention in a post the reader can no longer see: its author made the account protected.
    await shy!.call((api) => api.social.posts.create({ text: `psst @${reader.handle}` }));
    await shy!.call((api) => api.social.people.updateProfile({ isProtected: true }));

    expect(await pageNewCount(reader)).toBe(3);
    expect(await reader.call((api) => api.social.notifications.unreadCount())).toBe(3);

    await reader.call((api) => api.social.notifications.markAllRead());
    // New activity after reading: a fourth like joins the liked post's group, which is new again.
    const fan4 = await signedUpPerson();
    await fan4.call((api) => api.social.posts.setLike({ id: mine.id, liked: true }));
    expect(await pageNewCount(reader)).toBe(1);
    expect(await reader.call((api) => api.social.notifications.unreadCount())).toBe(1);
  });
});
