// What "delete now" leaves outside the rows that reference the person: their rate-limit windows,
// other people's access-log entries that named them, and the planner statistics that sampled
// their values. None of it may outlast the purge.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { enforceRateLimit, rateLimitKey, rateLimitRules } from "../../auth/rate-limits";
import { db } from "../../data/db";
import { signedUpPerson, testBrowser, TEST_PASSWORD, type TestPerson } from "../../testing/test-browser";
import { uniqueEmail, uniqueHandle } from "../../testing/unique";
import { registerDevice } from "../chat/chat-testing";

beforeAll(async () => {
  process.env.HEARTH_DATA_DIR = await mkdtemp(path.join(tmpdir(), "hearth-deletion-traces-"));
});

const bytes = (n: number) => randomBytes(n).toString("base64url");

const deleteNow = (who: TestPerson) => who.call((api) => api.privacy.deleteAccount({ password: TEST_PASSWORD, now: true }));

async function existingKeys(keys: string[]): Promise<string[]> {
  return (await db().rateLimitWindow.findMany({ where: { key: { in: keys } }, select: { key: true } })).map((r) => r.key);
}

describe("delete now", () => {
  it("deletes every rate-limit window derived from the person", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const bobDevice = await registerDevice(bob);
    await registerDevice(alice);
    await alice.call((api) => api.chat.bundles.forUser({ userId: bob.id }));
    await alice.call((api) => api.chat.envelopes.send({ clientMessageId: randomUUID(), envelopes: [{ deviceRowId: bobDevice.rowId, payload: bytes(306) }] }));
    await alice.call((api) => api.chat.link.open({ lookupId: bytes(16) }));
    await alice.call((api) => api.chat.attachments.create({ size: 1, recipientDeviceRowIds: [bobDevice.rowId] }));
    await alice.call((api) => api.social.posts.create({ text: "counted" }));
    await alice.call((api) => api.social.people.follow({ userId: bob.id }));
    // The upload and backup routes count per account exactly so.
    await enforceRateLimit(rateLimitRules.mediaUploadsPerAccount, alice.id);
    await enforceRateLimit(rateLimitRules.chatBackupsPerAccount, alice.id);
    await testBrowser()
      .call((api) => api.auth.logIn({ identifier: alice.email, password: "not her password" }))
      .catch(() => undefined);
    // Passkey and two-factor set-ups, a wrong first code, a wrong password to confirm a change.
    await alice.call((api) => api.auth.passkeys.registrationOptions());
    await alice.call((api) => api.auth.twoFactor.begin());
    await alice.call((api) => api.auth.twoFactor.confirm({ code: "000000" })).catch(() => undefined);
    await alice.call((api) => api.auth.passkeys.remove({ id: randomUUID(), proof: { password: "not her password" } })).catch(() => undefined);

    // Sign-in changes: a reset asked for her address, a link sent again, a wrong current password.
    await testBrowser().call((api) => api.auth.passwordReset.request({ email: alice.email }));
    await alice.call((api) => api.auth.account.resendVerification());
    await alice
      .call((api) => api.auth.account.changePassword({ currentPassword: "not her password", newPassword: "a new passphrase", endOtherSessions: false }))
      .catch(() => undefined);

    const hers = [
      rateLimitKey(rateLimitRules.messagesPerAccount, alice.id),
      rateLimitKey(rateLimitRules.messagesPerAccount, `bundles:${alice.id}`),
      rateLimitKey(rateLimitRules.envelopesPerAccount, alice.id),
      rateLimitKey(rateLimitRules.attachmentsPerAccount, alice.id),
      rateLimitKey(rateLimitRules.deviceLinksPerAccount, alice.id),
      rateLimitKey(rateLimitRules.mediaUploadsPerAccount, alice.id),
      rateLimitKey(rateLimitRules.chatBackupsPerAccount, alice.id),
      rateLimitKey(rateLimitRules.postsPerAccount, alice.id),
      rateLimitKey(rateLimitRules.followsPerAccount, alice.id),
      rateLimitKey(rateLimitRules.logInFailuresPerAccount, alice.email),
      rateLimitKey(rateLimitRules.securitySetupsPerAccount, alice.id),
      rateLimitKey(rateLimitRules.codeFailuresPerAccount, alice.id),
      rateLimitKey(rateLimitRules.confirmFailuresPerAccount, alice.id),
      rateLimitKey(rateLimitRules.mailsPerAddress, alice.email),
      rateLimitKey(rateLimitRules.accountMailsPerAccount, alice.id),
      rateLimitKey(rateLimitRules.passwordChecksPerAccount, alice.id),
    ];
    expect((await existingKeys(hers)).sort()).toEqual([...hers].sort());
    expect(await db().accountToken.count({ where: { userId: alice.id } })).toBeGreaterThan(0);

    await deleteNow(alice);
    expect(await existingKeys(hers)).toEqual([]);
    // Her mailed links go with her (their rows, not just their use).
    expect(await db().accountToken.count({ where: { userId: alice.id } })).toBe(0);
  });

  it("leaves other people's access logs saying 'a deleted account', never the handle a newcomer may take", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    await alice.call((api) => api.privacy.decide({ purpose: "discoverable_by_email", granted: true, source: "settings/privacy" }));
    await bob.call((api) => api.social.search.people({ query: alice.email }));
    const log = async () => (await alice.call((api) => api.privacy.accessLog({ filter: "discoverable_by_email" }))).entries;
    expect(await log()).toMatchObject([{ action: "found_by_email", detail: `@${bob.handle}` }]);

    await deleteNow(bob);
    expect(await log()).toMatchObject([{ action: "found_by_email", detail: null }]);
    const stored = await db().accessLogEntry.findMany({ where: { subjectId: alice.id } });
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(bob.handle);
    expect(JSON.stringify(stored)).not.toContain(bob.id);

    // Someone new takes Bob's handle: the old entry is not theirs.
    await testBrowser().call((api) => api.auth.signUp({ handle: bob.handle, email: uniqueEmail(), password: TEST_PASSWORD }));
    expect(await log()).toMatchObject([{ action: "found_by_email", detail: null }]);
  });

  it("leaves no value of the person in the planner statistics of the tables it purged", async () => {
    const alice = await signedUpPerson();
    const others = Array.from({ length: 120 }, () => ({ handle: uniqueHandle("s"), email: uniqueEmail(), passwordHash: "x", displayName: "Someone" }));
    await db().user.createMany({ data: others });
    const otherIds = (await db().user.findMany({ where: { handle: { in: others.map((o) => o.handle) } }, select: { id: true } })).map((u) => u.id);
    // One post each for the others, forty for Alice: her id is among the most common authors.
    await db().$executeRaw`
      INSERT INTO posts (id, author_id, text, root_id)
      SELECT p.id, p.author_id, 'hello', p.id
      FROM (SELECT gen_random_uuid() AS id, author_id FROM unnest(${otherIds}::uuid[]) AS author_id
            UNION ALL SELECT gen_random_uuid(), ${alice.id}::uuid FROM generate_series(1, 40)) AS p`;
    // She looked at many people's presence: her id fills their access logs.
    await db().accessLogEntry.createMany({
      data: otherIds.slice(0, 40).map((subjectId) => ({
        subjectId,
        accessorId: alice.id,
        accessor: "person",
        action: "presence_shown",
        purpose: "presence_sharing",
        categories: ["activity times"],
      })),
    });
    await db().$executeRawUnsafe("ANALYZE users, posts, access_log");

    const statisticsMentioning = async (values: string[]) =>
      db().$queryRaw<{ tablename: string; attname: string }[]>`
        SELECT tablename, attname FROM pg_stats
        WHERE schemaname = 'public'
          AND EXISTS (SELECT 1 FROM unnest(${values}::text[]) AS v
                      WHERE coalesce(most_common_vals::text, '') LIKE '%' || v || '%'
                         OR coalesce(histogram_bounds::text, '') LIKE '%' || v || '%')`;
    const found = await statisticsMentioning([alice.id]);
    expect(found).toEqual(
      expect.arrayContaining([
        { tablename: "posts", attname: "author_id" },
        { tablename: "access_log", attname: "accessor_id" },
      ]),
    );

    await deleteNow(alice);
    expect(await statisticsMentioning([alice.id, alice.handle, alice.email])).toEqual([]);
  });
});
