// The privacy promises, end to end on the real test database: each optional purpose works only
// with a current grant and leaves an access-log entry when it does; the ledger cannot be
// rewritten; exports hold everything and validate against the shipped schema; deletion can be
// undone for 30 days and then leaves nothing behind.
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { totpCodeAt } from "../../auth/totp";
import { softwareAuthenticator } from "../../testing/software-authenticator";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import pg from "pg";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import type { OptionalPurpose } from "../../data/consent/purposes";
import { db } from "../../data/db";
import { aggregateDailyCounts } from "../../data/privacy/analytics";
import { exportTrainingCorpus, type CorpusRecord } from "../../data/privacy/training-corpus";
import { getPublicProfile } from "../../data/social/public-views";
import { serverEnv } from "../../env";
import { runNextExport } from "../../jobs/run-export-jobs";
import { sweepDeletedAccounts } from "../../jobs/sweep-privacy";
import { localDiskStorage } from "../../media/media-storage";
import { openExportFile } from "../../privacy/export-files";
import { checkExportAgainstSchema, readZip } from "../../testing/export-zip";
import { browserPushSubscription, registerDevice } from "../chat/chat-testing";
import { signedUpPerson, testBrowser, TEST_PASSWORD, type TestPerson } from "../../testing/test-browser";

beforeAll(async () => {
  process.env.HEARTH_DATA_DIR = await mkdtemp(path.join(tmpdir(), "hearth-privacy-"));
  process.env.HEARTH_TEST_CLOCK = "1";
});

async function decide(person: TestPerson, purpose: OptionalPurpose, granted: boolean) {
  await person.call((api) => api.privacy.decide({ purpose, granted, source: "settings/privacy" }));
}

async function logEntries(person: TestPerson, purpose: string) {
  return (await person.call((api) => api.privacy.accessLog({ filter: purpose }))).entries;
}

async function expectCode(promise: Promise<unknown>, code: TRPCError["code"]) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
}

/** Makes the person's current grant for `purpose` one made under an older policy version. */
async function ageGrant(person: TestPerson, purpose: OptionalPurpose) {
  await db().$executeRaw`INSERT INTO consent_events (id, user_id, purpose, granted, policy_version, source, created_at)
    VALUES (gen_random_uuid(), ${person.id}::uuid, ${purpose}::consent_purpose, true, 0, 'test', now() + interval '1 second')`;
}

describe("the consent ledger", () => {
  it("starts with every purpose off and records each decision with its version and screen", async () => {
    const alice = await signedUpPerson();
    const states = await alice.call((api) => api.privacy.consents());
    expect(states.map((s) => s.state)).toEqual(Array(7).fill("never_asked"));
    await decide(alice, "presence_sharing", true);
    await decide(alice, "presence_sharing", false);
    const history = await alice.call((api) => api.privacy.history());
    expect(history.map((h) => [h.purpose, h.granted, h.policyVersion, h.source])).toEqual([
      ["presence_sharing", false, 1, "settings/privacy"],
      ["presence_sharing", true, 1, "settings/privacy"],
    ]);
    expect((await alice.call((api) => api.privacy.consents())).find((s) => s.purpose === "presence_sharing")?.state).toBe("withdrawn");
  });

  it("refuses UPDATE, DELETE and TRUNCATE in the database itself", async () => {
    const alice = await signedUpPerson();
    await decide(alice, "product_analytics", true);
    const client = new pg.Client({ connectionString: serverEnv().DATABASE_URL });
    await client.connect();
    try {
      await expect(client.query(`UPDATE consent_events SET granted = false WHERE user_id = $1`, [alice.id])).rejects.toThrow(/append-only/);
      await expect(client.query(`DELETE FROM consent_events WHERE user_id = $1`, [alice.id])).rejects.toThrow(/append-only/);
      await expect(client.query(`TRUNCATE consent_events CASCADE`)).rejects.toThrow(/append-only/);
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM consent_events WHERE user_id = $1`, [alice.id]);
      expect(rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
  });

  it("lets a grant made under an earlier policy version lapse", async () => {
    const alice = await signedUpPerson();
    await decide(alice, "search_engine_indexing", true);
    await ageGrant(alice, "search_engine_indexing");
    expect((await alice.call((api) => api.privacy.consents())).find((s) => s.purpose === "search_engine_indexing")?.state).toBe("lapsed");
    expect(await getPublicProfile({ handle: alice.handle, purpose: "core.profiles" })).toBeNull();
  });
});

describe("discoverable_by_email", () => {
  it("finds a person by exact email only while they allow it, and logs each find", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const find = () => bob.call((api) => api.social.search.people({ query: alice.email.toUpperCase() }));
    expect(await find()).toEqual([]);
    expect(await logEntries(alice, "discoverable_by_email")).toEqual([]);

    await decide(alice, "discoverable_by_email", true);
    expect((await find()).map((p) => p.handle)).toEqual([alice.handle]);
    const [entry] = await logEntries(alice, "discoverable_by_email");
    expect(entry).toMatchObject({ action: "found_by_email", detail: `@${bob.handle}` });
    expect(entry?.categories).toEqual(["email"]);

    await decide(alice, "discoverable_by_email", false);
    expect(await find()).toEqual([]);
    expect(await logEntries(alice, "discoverable_by_email")).toHaveLength(1);
  });
});

describe("search_engine_indexing", () => {
  it("serves the public profile to visitors only with a grant, never for protected accounts", async () => {
    const alice = await signedUpPerson();
    await alice.call((api) => api.social.posts.create({ text: "hello, world" }));
    expect(await getPublicProfile({ handle: alice.handle, purpose: "core.profiles" })).toBeNull();
    expect(await logEntries(alice, "search_engine_indexing")).toEqual([]);

    await decide(alice, "search_engine_indexing", true);
    const visible = await getPublicProfile({ handle: alice.handle, purpose: "core.profiles" });
    expect(visible?.posts.map((p) => p.text)).toEqual(["hello, world"]);
    expect(await logEntries(alice, "search_engine_indexing")).toHaveLength(1);

    await alice.call((api) => api.social.people.updateProfile({ isProtected: true }));
    expect(await getPublicProfile({ handle: alice.handle, purpose: "core.profiles" })).toBeNull();
  });
});

describe("personalized_suggestions", () => {
  it("uses the follow graph only with a grant", async () => {
    const me = await signedUpPerson();
    const friend = await signedUpPerson();
    const friendOfFriend = await signedUpPerson();
    await me.call((api) => api.social.people.follow({ userId: friend.id }));
    await friend.call((api) => api.social.people.follow({ userId: friendOfFriend.id }));

    const generic = await me.call((api) => api.social.people.suggestions());
    expect(generic.personalized).toBe(false);
    expect(await logEntries(me, "personalized_suggestions")).toEqual([]);

    await decide(me, "personalized_suggestions", true);
    const personal = await me.call((api) => api.social.people.suggestions());
    expect(personal.personalized).toBe(true);
    expect(personal.people.map((p) => p.handle)).toEqual([friendOfFriend.handle]);
    expect(await logEntries(me, "personalized_suggestions")).toHaveLength(1);
  });
});

describe("presence_sharing", () => {
  it("shows the last active time to mutual followers only while shared, and forgets it on withdrawal", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    await alice.call((api) => api.social.people.follow({ userId: bob.id }));
    await bob.call((api) => api.social.people.follow({ userId: alice.id }));
    const seenByBob = () => bob.call((api) => api.social.people.lastActive({ userId: alice.id }));

    expect(await seenByBob()).toBeNull();
    expect(await db().presence.count({ where: { userId: alice.id } })).toBe(0);

    await decide(alice, "presence_sharing", true);
    alice.browser.setHeader("x-hearth-test-now", new Date().toISOString());
    await db().session.updateMany({ where: { userId: alice.id }, data: { lastUsedAt: new Date(Date.now() - 120_000) } });
    await alice.call((api) => api.auth.me());
    expect(await seenByBob()).toBeInstanceOf(Date);
    expect(await logEntries(alice, "presence_sharing")).toHaveLength(1);

    await decide(alice, "presence_sharing", false);
    expect(await seenByBob()).toBeNull();
    expect(await db().presence.count({ where: { userId: alice.id } })).toBe(0);
  });
});

describe("product_analytics", () => {
  it("counts only consenting people, keeps no per-person rows, and logs the count once finalized", async () => {
    const counted = await signedUpPerson();
    const notCounted = await signedUpPerson();
    await decide(counted, "product_analytics", true);
    for (const person of [counted, notCounted]) await person.call((api) => api.social.posts.create({ text: "a post for the totals" }));
    const day = new Date();
    const before = await aggregateDailyCounts({ purpose: "product_analytics", day, finalize: false });
    await decide(notCounted, "product_analytics", true);
    const after = await aggregateDailyCounts({ purpose: "product_analytics", day, finalize: false });
    expect(after.active_people - before.active_people).toBe(1);
    expect(after.posts - before.posts).toBe(1);
    expect(await logEntries(counted, "product_analytics")).toEqual([]);
    await aggregateDailyCounts({ purpose: "product_analytics", day, finalize: true });
    expect(await logEntries(counted, "product_analytics")).toHaveLength(1);
    const columns = await db().$queryRaw<{ column_name: string }[]>`SELECT column_name FROM information_schema.columns WHERE table_name = 'daily_counts'`;
    expect(columns.map((c) => c.column_name).sort()).toEqual(["count", "day", "metric"]);
  });
});

describe("ai_training_corpus", () => {
  it("exports public posts of consenting people only, with their policy version", async () => {
    const consenting = await signedUpPerson();
    const declining = await signedUpPerson();
    const marker = `corpus${Date.now()}`;
    await consenting.call((api) => api.social.posts.create({ text: `${marker} yes` }));
    await declining.call((api) => api.social.posts.create({ text: `${marker} no` }));
    await decide(consenting, "ai_training_corpus", true);
    await decide(declining, "ai_training_corpus", true);
    await decide(declining, "ai_training_corpus", false);

    const records: CorpusRecord[] = [];
    await exportTrainingCorpus({ purpose: "ai_training_corpus", write: (r) => void records.push(r) });
    const mine = records.filter((r) => r.text.startsWith(marker));
    expect(mine.map((r) => r.text)).toEqual([`${marker} yes`]);
    expect(mine[0]?.consent_policy_version).toBe(1);
    expect(await logEntries(consenting, "ai_training_corpus")).toHaveLength(1);
    expect(await logEntries(declining, "ai_training_corpus")).toEqual([]);
  });
});

describe("data export", () => {
  it("builds a ZIP of everything, valid against the shipped schema, downloadable by its owner", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    await bob.call((api) => api.social.people.follow({ userId: alice.id }));
    const image = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#c05020" } })
      .webp()
      .toBuffer();
    await localDiskStorage(path.join(serverEnv().HEARTH_DATA_DIR, "media")).put("0123456789abcdef0123456789abcdef", image);
    const media = await db().media.create({
      data: { ownerId: alice.id, storageKey: "0123456789abcdef0123456789abcdef", mimeType: "image/webp", width: 8, height: 8, bytes: image.length },
    });
    const first = await alice.call((api) => api.social.posts.create({ text: "first", media: [{ id: media.id, altText: "an orange square" }] }));
    await alice.call((api) => api.social.posts.edit({ id: first.id, text: "first, edited" }));
    await decide(alice, "presence_sharing", true);
    const passkeyOptions = await alice.call((api) => api.auth.passkeys.registrationOptions());
    await alice.call((api) =>
      api.auth.passkeys.register({ response: softwareAuthenticator({ origin: "http://localhost:3000" }).create(passkeyOptions), name: "Laptop" }),
    );
    const { secret: totpSecret } = await alice.call((api) => api.auth.twoFactor.begin());
    const totpKey = decodeBase32IgnorePadding(totpSecret.replace(/ /g, ""));
    const { recoveryCodes } = await alice.call((api) => api.auth.twoFactor.confirm({ code: totpCodeAt(totpKey, new Date()) }));
    const device = await registerDevice(alice);
    const push = browserPushSubscription();
    await alice.call((api) => api.chat.push.subscribe({ deviceRowId: device.rowId, ...push, locale: "de" }));

    const { id } = await alice.call((api) => api.privacy.requestExport());
    expect((await alice.call((api) => api.privacy.requestExport())).id).toBe(id);
    while (await runNextExport()) {
      /* build every queued export, including other tests' */
    }
    const [job] = await alice.call((api) => api.privacy.exports());
    expect(job).toMatchObject({ id, status: "ready", progress: 100, downloadable: true });
    expect((await alice.call((api) => api.social.notifications.list())).map((g) => g.kind)).toContain("export_ready");

    const stored = await db().exportJob.findUniqueOrThrow({ where: { id } });
    const zip = await openExportFile(stored.storageKey!);
    const zipPath = path.join(await mkdtemp(path.join(tmpdir(), "hearth-export-test-")), "export.zip");
    await writeFile(zipPath, Buffer.from(await new Response(zip!.stream).arrayBuffer()));
    const files = await readZip(zipPath);
    const { schema, jsonFiles, errors } = await checkExportAgainstSchema(files);
    expect(JSON.parse(files.get("schema.json")!.toString())).toEqual(schema);
    expect(jsonFiles).toEqual(Object.keys(schema.$defs).sort());
    for (const name of jsonFiles) expect(errors[name], name).toEqual([]);
    const posts = JSON.parse(files.get("posts.json")!.toString());
    expect(posts[0]).toMatchObject({ text: "first, edited", edit_history: [{ text: "first" }] });
    expect(JSON.parse(files.get("followers.json")!.toString())).toEqual([expect.objectContaining({ handle: bob.handle })]);
    expect(files.get(`media/${media.id}.webp`)?.equals(image)).toBe(true);
    expect(files.get("README.html")!.toString()).toContain(`@${alice.handle}`);
    expect(JSON.parse(files.get("consent_ledger.json")!.toString())).toEqual([
      expect.objectContaining({ purpose: "presence_sharing", granted: true }),
      expect.objectContaining({ purpose: "push_notifications", granted: true, source: "chat/notifications" }),
    ]);

    expect(JSON.parse(files.get("security.json")!.toString())).toMatchObject({
      passkeys: [{ name: "Laptop", last_used_at: null }],
      two_factor: { enabled: true, recovery_codes_left: 10 },
    });
    // A push address is listed by its service's host: the rest of it, and its keys, would let anyone wake the device.
    expect(JSON.parse(files.get("push_subscriptions.json")!.toString())).toEqual([
      {
        device: device.rowId,
        device_name: "Device 1",
        push_service: new URL(push.endpoint).host,
        language: "de",
        created_at: expect.any(String),
        last_wakeup_at: null,
      },
    ]);
    expect(JSON.parse(files.get("access_log.json")!.toString())).toContainEqual(
      expect.objectContaining({ action: "push_subscription_added", detail: new URL(push.endpoint).host, purpose: "push_notifications" }),
    );
    const everything = [...files.values()].map((f) => f.toString("latin1")).join("\n");
    for (const secret of [totpSecret.replace(/ /g, ""), ...recoveryCodes, new URL(push.endpoint).pathname, push.p256dh, push.auth]) {
      expect(everything).not.toContain(secret);
    }

    const { GET } = await import("../../../app/api/privacy/export/[id]/route");
    const download = (cookie: string) =>
      GET(new Request(`http://localhost/api/privacy/export/${id}`, { headers: { cookie } }), { params: Promise.resolve({ id }) });
    const own = await download(alice.browser.cookie);
    expect(own.status).toBe(200);
    expect(own.headers.get("content-type")).toBe("application/zip");
    expect((await download(bob.browser.cookie)).status).toBe(404);
    expect((await download("")).status).toBe(401);
  });
});

describe("account deletion", () => {
  it("hides the account at once, restores it at log-in within 30 days", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    await bob.call((api) => api.social.people.follow({ userId: alice.id }));
    const post = await alice.call((api) => api.social.posts.create({ text: "soon gone" }));
    await expectCode(
      alice.call((api) => api.privacy.deleteAccount({ password: "not my password" })),
      "UNAUTHORIZED",
    );

    const result = await alice.call((api) => api.privacy.deleteAccount({ password: TEST_PASSWORD }));
    expect(result.purged).toBe(false);
    expect(await alice.call((api) => api.auth.me())).toBeNull();
    await expectCode(
      bob.call((api) => api.social.people.profile({ handle: alice.handle })),
      "NOT_FOUND",
    );
    await expectCode(
      bob.call((api) => api.social.posts.get({ id: post.id })),
      "NOT_FOUND",
    );
    expect((await bob.call((api) => api.social.timeline.home({}))).entries).toEqual([]);
    expect((await bob.call((api) => api.social.search.people({ query: alice.handle }))).map((p) => p.handle)).not.toContain(alice.handle);

    const again = testBrowser();
    const login = await again.call((api) => api.auth.logIn({ identifier: alice.email, password: TEST_PASSWORD }));
    expect(login.restored).toBe(true);
    expect((await bob.call((api) => api.social.posts.get({ id: post.id }))).text).toBe("soon gone");
  });

  it("purges every row that references the person, and their files, when the 30 days are over", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    await alice.call((api) => api.social.people.follow({ userId: bob.id }));
    await bob.call((api) => api.social.people.follow({ userId: alice.id }));
    const bobPost = await bob.call((api) => api.social.posts.create({ text: `hi @${alice.handle}` }));
    await alice.call((api) => api.social.posts.create({ text: "reply", replyToId: bobPost.id }));
    const alicePost = await alice.call((api) => api.social.posts.create({ text: "mine" }));
    await bob.call((api) => api.social.posts.create({ text: "answer", replyToId: alicePost.id }));
    await bob.call((api) => api.social.posts.setLike({ id: alicePost.id, liked: true }));
    await alice.call((api) => api.social.stories.create({ text: "story" }));
    await decide(alice, "presence_sharing", true);
    await alice.call((api) => api.privacy.requestExport());
    const storage = localDiskStorage(path.join(serverEnv().HEARTH_DATA_DIR, "media"));
    await storage.put("fedcba9876543210fedcba9876543210", new Uint8Array([1, 2, 3]));
    await db().media.create({
      data: { ownerId: alice.id, storageKey: "fedcba9876543210fedcba9876543210", mimeType: "image/webp", width: 1, height: 1, bytes: 3 },
    });

    await alice.call((api) => api.privacy.deleteAccount({ password: TEST_PASSWORD }));
    await sweepDeletedAccounts(new Date(Date.now() + 31 * 24 * 60 * 60 * 1000));

    const references = await db().$queryRaw<{ table_name: string; column_name: string }[]>`
      SELECT kcu.table_name, kcu.column_name
      FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
      JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
      WHERE tc.constraint_type = 'FOREIGN KEY' AND ccu.table_name = 'users' AND tc.table_schema = 'public'`;
    expect(references.length).toBeGreaterThan(20);
    for (const { table_name, column_name } of [...references, { table_name: "users", column_name: "id" }]) {
      const [row] = await db().$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}" = $1::uuid`, alice.id);
      expect(row?.n, `${table_name}.${column_name}`).toBe(0);
    }
    expect(await storage.read("fedcba9876543210fedcba9876543210")).toBeNull();
    expect((await bob.call((api) => api.social.posts.get({ id: bobPost.id }))).text).toBe(`hi @${alice.handle}`);
    await expectCode(
      testBrowser().call((api) => api.auth.logIn({ identifier: alice.email, password: TEST_PASSWORD })),
      "UNAUTHORIZED",
    );
  });

  it("purges at once with 'delete now'", async () => {
    const alice = await signedUpPerson();
    const result = await alice.call((api) => api.privacy.deleteAccount({ password: TEST_PASSWORD, now: true }));
    expect(result.purged).toBe(true);
    expect(await db().user.count({ where: { id: alice.id } })).toBe(0);
  });
});
