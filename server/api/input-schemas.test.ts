// Input PostgreSQL cannot take, or no one types on purpose, is refused by the shared schemas as a
// BAD_REQUEST with a field error, whichever procedure it is sent to, and nothing is stored.
import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { describe, expect, it } from "vitest";
import { db } from "../data/db";
import { signedUpPerson, testBrowser, TEST_PASSWORD, type Api, type TestPerson } from "../testing/test-browser";
import { ZDisplayNameSchema } from "./input-schemas";

const NUL = "\u0000";
const NIL = "00000000-0000-0000-0000-000000000000";
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const timelineCursor = (at: string, postId = NIL) => base64url([at, postId, NIL]);

async function refusal(promise: Promise<unknown>): Promise<{ code: string; messages: string[] }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected the call to be refused").toBeInstanceOf(TRPCError);
  const cause = (error as TRPCError).cause;
  const messages = cause instanceof ZodError ? cause.issues.map((i) => i.message) : [String((cause as { code?: string } | undefined)?.code)];
  return { code: (error as TRPCError).code, messages };
}

async function storedBy(person: TestPerson) {
  const [posts, stories, user, profile, edits] = await Promise.all([
    db().post.findMany({ where: { authorId: person.id }, select: { text: true, contentWarning: true } }),
    db().story.count({ where: { authorId: person.id } }),
    db().user.findUnique({ where: { id: person.id }, select: { displayName: true } }),
    db().profile.findUnique({ where: { userId: person.id }, select: { bio: true } }),
    db().postEdit.count({ where: { post: { authorId: person.id } } }),
  ]);
  return { posts, stories, user, profile, edits };
}

type Case = [name: string, expected: string, call: (api: Api, fixture: { postId: string; mediaId: string }) => Promise<unknown>];

const cases: Case[] = [
  ["post text", "text_invalid_characters", (api) => api.social.posts.create({ text: `a${NUL}b` })],
  ["content warning", "text_invalid_characters", (api) => api.social.posts.create({ text: "hi", contentWarning: `cw${NUL}` })],
  ["alt text", "text_invalid_characters", (api, f) => api.social.posts.create({ text: "hi", media: [{ id: f.mediaId, altText: `a${NUL}` }] })],
  ["edited text", "text_invalid_characters", (api, f) => api.social.posts.edit({ id: f.postId, text: `a${NUL}b` })],
  ["edited content warning", "text_invalid_characters", (api, f) => api.social.posts.edit({ id: f.postId, text: "ok", contentWarning: `cw${NUL}` })],
  ["display name", "display_name_invalid_characters", (api) => api.social.people.updateProfile({ displayName: `Al${NUL}ice` })],
  ["bio", "text_invalid_characters", (api) => api.social.people.updateProfile({ bio: `bio${NUL}` })],
  ["story text", "text_invalid_characters", (api) => api.social.stories.create({ text: `story${NUL}` })],
  ["story alt text", "text_invalid_characters", (api, f) => api.social.stories.create({ text: "s", media: { id: f.mediaId, altText: `a${NUL}` } })],
  ["post search", "text_invalid_characters", (api) => api.social.search.posts({ query: `a${NUL}b` })],
  ["people search", "text_invalid_characters", (api) => api.social.search.people({ query: `a${NUL}b` })],
  ["hashtag", "text_invalid_characters", (api) => api.social.timeline.hashtag({ tag: `tag${NUL}` })],
  ["access-log filter", "text_invalid_characters", (api) => api.privacy.accessLog({ filter: `export${NUL}` })],
  ["a control character other than NUL", "text_invalid_characters", (api) => api.social.posts.create({ text: "bell\u0007" })],
  ["countNew before year 1", "date_out_of_range", (api) => api.social.timeline.countNew({ since: new Date("-000100-01-01T00:00:00Z") })],
  ["countNew at the earliest Date", "date_out_of_range", (api) => api.social.timeline.countNew({ since: new Date(-8.64e15) })],
  ["countNew past year 9999", "date_out_of_range", (api) => api.social.timeline.countNew({ since: new Date(8.64e15) })],
  ["home cursor before year 1", "CURSOR_INVALID", (api) => api.social.timeline.home({ cursor: timelineCursor("-004713-01-01T00:00:00.000Z") })],
  [
    "bookmarks cursor at the earliest Date",
    "CURSOR_INVALID",
    (api) => api.social.timeline.bookmarks({ cursor: timelineCursor(new Date(-8.64e15).toISOString()) }),
  ],
  [
    "thread cursor before year 1",
    "CURSOR_INVALID",
    (api, f) => api.social.timeline.thread({ id: f.postId, cursor: timelineCursor("-000001-06-01T00:00:00.000Z") }),
  ],
  ["search cursor of 36 dashes", "CURSOR_INVALID", (api) => api.social.search.posts({ query: "hello", cursor: base64url({ rank: 1, id: "-".repeat(36) }) })],
  ["cursor with NUL", "cursor_invalid", (api) => api.social.timeline.home({ cursor: `abc${NUL}` })],
];

describe("input refused by the shared schemas", () => {
  it.each(cases)("%s is a BAD_REQUEST (%s), and nothing is stored", async (_name, expected, call) => {
    const alice = await signedUpPerson();
    const media = await db().media.create({
      data: { ownerId: alice.id, storageKey: randomBytes(16).toString("hex"), mimeType: "image/webp", width: 8, height: 8, bytes: 100 },
    });
    const post = await alice.call((api) => api.social.posts.create({ text: "original" }));
    const before = await storedBy(alice);

    const { code, messages } = await refusal(alice.call((api) => call(api, { postId: post.id, mediaId: media.id })));

    expect(code).toBe("BAD_REQUEST");
    expect(messages).toContain(expected);
    expect(await storedBy(alice)).toEqual(before);
  });

  it("a log-in identifier with NUL is a BAD_REQUEST", async () => {
    const { code, messages } = await refusal(testBrowser().call((api) => api.auth.logIn({ identifier: `someone${NUL}@example.org`, password: TEST_PASSWORD })));
    expect(code).toBe("BAD_REQUEST");
    expect(messages).toContain("text_invalid_characters");
  });

  it("still takes tabs and line breaks in multi-line text, and dates and cursors in range", async () => {
    const alice = await signedUpPerson();
    const post = await alice.call((api) => api.social.posts.create({ text: "one\ntwo\tthree" }));
    expect(post.text).toBe("one\ntwo\tthree");
    expect(await alice.call((api) => api.social.timeline.countNew({ since: new Date("0001-01-01T00:00:00Z") }))).toBe(0);
    const page = await alice.call((api) =>
      api.social.timeline.home({ cursor: timelineCursor("9999-12-31T23:59:59.999Z", "ffffffff-ffff-ffff-ffff-ffffffffffff") }),
    );
    expect(page.entries.map((e) => e.post.id)).toEqual([post.id]);
  });
});

describe("display names", () => {
  const refusedAs = (name: string) => {
    const result = ZDisplayNameSchema.safeParse(name);
    return result.success ? null : result.error.issues.map((i) => i.message);
  };

  it("are stored in NFC", async () => {
    const alice = await signedUpPerson();
    const nfd = "Zoe\u0308";
    await alice.call((api) => api.social.people.updateProfile({ displayName: nfd }));
    const profile = await alice.call((api) => api.social.people.profile({ handle: alice.handle }));
    expect(profile.displayName).toBe("Zo\u00eb");
    expect(profile.displayName).not.toBe(nfd);
  });

  it("refuse bidirectional overrides, embeddings and isolates", () => {
    for (const c of ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C"]) {
      expect(refusedAs(`Alice${c}ecila`), `U+${c.codePointAt(0)!.toString(16)}`).toEqual(["display_name_invalid_characters"]);
    }
  });

  it("refuse control characters, zero-width spaces and other invisible format characters", () => {
    for (const c of ["\u0001", "\u001b", "\u007f", "\u0085", "\n", "\u200B", "\u2060", "\uFEFF", "\u00AD", "\u2028", "\uD800"]) {
      expect(refusedAs(`Al${c}ice`), `U+${c.codePointAt(0)!.toString(16)}`).toEqual(["display_name_invalid_characters"]);
    }
  });

  it("refuse joiners that join nothing visible", () => {
    for (const name of ["\u200DAlice", "Alice\u200D", "Al\u200D\u200Dice", "Al \u200Cice", "\u200C"]) {
      expect(refusedAs(name), JSON.stringify(name)).toContain("display_name_invalid_characters");
    }
  });

  it("refuse names with no visible character", () => {
    for (const name of ["\u3164", "\u115F\u1160", "\u2800\u2800", "\u0301\u0308", "\uFFA0 \u3164"]) {
      expect(refusedAs(name), JSON.stringify(name)).toEqual(["display_name_invisible"]);
    }
    expect(refusedAs("   ")).toEqual(["display_name_required"]);
  });

  it("keep real names: accents, other scripts, emoji with ZWJ, skin tones and flags", () => {
    for (const name of ["Zoë Ångström", "山田 太郎", "محمد", "می‌خواهم", "👩‍💻 Ada", "❤️‍🔥", "👩🏽‍🚒", "🏴󠁧󠁢󠁳󠁣󠁴󠁿 Morag", "O'Brien-Smith"]) {
      expect(refusedAs(name), JSON.stringify(name)).toBeNull();
    }
  });

  it("are refused through the profile form with a field error, leaving the name as it was", async () => {
    const alice = await signedUpPerson();
    await alice.call((api) => api.social.people.updateProfile({ displayName: "Alice" }));
    const { code, messages } = await refusal(alice.call((api) => api.social.people.updateProfile({ displayName: "\u202Eecila" })));
    expect(code).toBe("BAD_REQUEST");
    expect(messages).toEqual(["display_name_invalid_characters"]);
    expect((await alice.call((api) => api.social.people.profile({ handle: alice.handle }))).displayName).toBe("Alice");
  });
});
