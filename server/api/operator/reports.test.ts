// Reports with message franking, through the router as browsers call it: the sender's commitment is
// bound at the send to sender, recipient and time; the recipient opens its sealed tag and reports;
// the operator sees the verdict. A genuine report verifies; a forged sender, altered text, wrong
// franking key, or a proof replayed for another message, recipient or time, or sent twice, does not.
// Then posts and profiles, the operator's dismissal and suspension, and the rate limit.
import { createDecipheriv, createHash, createHmac, randomBytes as nodeRandomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { FRANKING_SEAL_NONCE, frankedMessageBytes, frankingSealKeyInput } from "@/app/_shared/isomorphic/franking";
import { person } from "../../data/actor";
import { listPendingEnvelopes } from "../../data/chat/envelopes";
import { signedUpPerson, TEST_PASSWORD, testBrowser, type TestPerson } from "../../testing/test-browser";
import { uniqueEmail, uniqueHandle } from "../../testing/unique";
import { connectTestDatabase, expectError, randomBytes, registerDevice } from "../chat/chat-testing";

const operatorHandle = uniqueHandle("op");
// Before any other hook: serverEnv() reads it once, on first use (connecting to the database is one).
beforeAll(() => {
  process.env.HEARTH_OPERATOR_HANDLES = operatorHandle;
});
const sql = connectTestDatabase();
let operator: TestPerson;

beforeAll(async () => {
  const handle = operatorHandle;
  const browser = testBrowser();
  const email = uniqueEmail();
  await browser.call((api) => api.auth.signUp({ handle, email, password: TEST_PASSWORD }));
  const profile = await browser.call((api) => api.social.people.profile({ handle }));
  operator = { browser, id: profile.id, handle, email, call: browser.call.bind(browser) };
});

/** What a sending browser does: a fresh Kf per message, C = HMAC-SHA-256(Kf, message), C beside each envelope. */
function frank(message: { id: string; sentAt: number; body: string }) {
  const frankingKey = new Uint8Array(nodeRandomBytes(32));
  const commitment = new Uint8Array(createHmac("sha256", frankingKey).update(frankedMessageBytes(message)).digest());
  return { message, frankingKey, commitment };
}

/** What a receiving device does: opens the sealed tag with the commitment it recomputed and its own row id. */
function openTag(sealed: Uint8Array, commitment: Uint8Array, deviceRowId: string): Uint8Array {
  const key = createHash("sha256").update(frankingSealKeyInput({ commitment, deviceRowId })).digest();
  const decipher = createDecipheriv("chacha20-poly1305", key, FRANKING_SEAL_NONCE, { authTagLength: 16 });
  decipher.setAuthTag(sealed.subarray(32));
  return new Uint8Array(Buffer.concat([decipher.update(sealed.subarray(0, 32)), decipher.final()]));
}

async function chatPerson() {
  const who = await signedUpPerson();
  const device = await registerDevice(who);
  return { ...who, deviceRowId: device.rowId };
}
type ChatPerson = Awaited<ReturnType<typeof chatPerson>>;

/** `from` sends one franked message to each of `to`'s devices; each recipient gets back what its device keeps. */
async function send(from: ChatPerson, to: ChatPerson[], body = "You will regret this.") {
  const franked = frank({ id: randomUUID(), sentAt: Date.now(), body });
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
  await from.call((api) =>
    api.chat.envelopes.send({
      clientMessageId: franked.message.id,
      group: to.length > 1,
      envelopes: to.map((r) => ({ deviceRowId: r.deviceRowId, payload: randomBytes(306), commitment: b64(franked.commitment) })),
    }),
  );
  return Promise.all(
    to.map(async (recipient) => {
      const [envelope] = await listPendingEnvelopes({
        actor: person(recipient.id),
        purpose: "core.messaging",
        deviceRowId: recipient.deviceRowId,
        after: null,
      });
      expect(envelope?.franking).toHaveLength(48);
      const tag = openTag(envelope!.franking!, franked.commitment, recipient.deviceRowId);
      await sql.query("DELETE FROM chat_envelopes WHERE id = $1", [envelope!.id]);
      return { ...franked, tag, senderUserId: from.id, deliveredAt: envelope!.createdAt.getTime(), recipient };
    }),
  );
}
type Proof = Awaited<ReturnType<typeof send>>[number];

function report(reporter: TestPerson, proof: Omit<Proof, "recipient">) {
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
  return reporter.call((api) =>
    api.chat.reports.create({
      message: proof.message,
      frankingKey: b64(proof.frankingKey),
      commitment: b64(proof.commitment),
      tag: b64(proof.tag),
      senderUserId: proof.senderUserId,
      deliveredAt: proof.deliveredAt,
      reason: "harassment",
      note: "It keeps happening.",
    }),
  );
}

describe("message franking", () => {
  let mallory: ChatPerson;
  let bob: ChatPerson;
  let carol: ChatPerson;
  beforeAll(async () => {
    [mallory, bob, carol] = await Promise.all([chatPerson(), chatPerson(), chatPerson()]);
  });

  const verdictRows = async (messageId: string) =>
    (await sql.query("SELECT verdict, body, claimed_sender_id FROM chat_message_reports WHERE message_id = $1 ORDER BY created_at, id", [messageId])).rows as {
      verdict: string;
      body: string;
      claimed_sender_id: string;
    }[];

  it("verifies a genuine report, and the operator sees that message's text and its sender", async () => {
    const [proof] = await send(mallory, [bob]);
    await report(bob, proof!);
    expect(await verdictRows(proof!.message.id)).toEqual([{ verdict: "verified", body: "You will regret this.", claimed_sender_id: mallory.id }]);
    const listed = (await operator.call((api) => api.operator.reports.list())).find((r) => r.kind === "message" && r.body === "You will regret this.");
    expect(listed).toMatchObject({ kind: "message", verdict: "verified", subject: { handle: mallory.handle }, reporter: { handle: bob.handle } });
  });

  it("stores on the envelope row neither the sender nor anything that names them, even to someone holding the franking key", async () => {
    const franked = frank({ id: randomUUID(), sentAt: Date.now(), body: "sealed sender" });
    await mallory.call((api) =>
      api.chat.envelopes.send({
        clientMessageId: franked.message.id,
        envelopes: [{ deviceRowId: bob.deviceRowId, payload: randomBytes(306), commitment: Buffer.from(franked.commitment).toString("base64url") }],
      }),
    );
    const { rows } = await sql.query("SELECT * FROM chat_envelopes WHERE recipient_device_id = $1", [bob.deviceRowId]);
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, unknown>;
    // The columns: no sender column at all, and no value holding the sender's id, the commitment or the tag.
    expect(Object.keys(row).sort()).toEqual(["created_at", "dedup_key", "expires_at", "franking", "id", "payload", "recipient_device_id"]);
    const senderIdBytes = Buffer.from(mallory.id.replaceAll("-", ""), "hex");
    const stored = Buffer.concat(Object.values(row).map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v)))));
    expect(stored.includes(senderIdBytes)).toBe(false);
    expect(stored.includes(Buffer.from(mallory.id))).toBe(false);
    expect(stored.includes(Buffer.from(franked.commitment))).toBe(false);
    // Without the commitment the sealed tag does not open (a key derived from a wrong commitment fails).
    expect(() => openTag(row.franking as Buffer, new Uint8Array(32), bob.deviceRowId)).toThrow();
    const tag = openTag(row.franking as Buffer, franked.commitment, bob.deviceRowId);
    expect(stored.includes(Buffer.from(tag))).toBe(false);
    await sql.query("DELETE FROM chat_envelopes WHERE recipient_device_id = $1", [bob.deviceRowId]);
  });

  it("does not verify a forged sender, altered text or a wrong franking key", async () => {
    const [proof] = await send(mallory, [bob], "Meet me at the bridge.");
    await report(bob, { ...proof!, senderUserId: carol.id });
    await report(bob, { ...proof!, message: { ...proof!.message, body: "Meet me at the bridge, or else." } });
    await report(bob, { ...proof!, frankingKey: new Uint8Array(nodeRandomBytes(32)) });
    const rows = await verdictRows(proof!.message.id);
    expect(rows.map((r) => r.verdict)).toEqual(["tag_mismatch", "commitment_mismatch", "commitment_mismatch"]);
  });

  it("does not verify a proof replayed for another message, another recipient, another time, or a second time", async () => {
    const [first] = await send(mallory, [bob], "first");
    const [second] = await send(mallory, [bob], "second");
    // The second message's text and franking key, with the first message's tag.
    await report(bob, { ...second!, tag: first!.tag });
    // Carol reports the message Bob received, with Bob's whole proof.
    await report(carol, first!);
    await report(bob, { ...first!, deliveredAt: first!.deliveredAt + 1 });
    await report(bob, first!);
    await report(bob, first!);
    expect((await verdictRows(second!.message.id)).map((r) => r.verdict)).toEqual(["tag_mismatch"]);
    expect((await verdictRows(first!.message.id)).map((r) => r.verdict)).toEqual(["tag_mismatch", "tag_mismatch", "verified", "replayed"]);
  });

  it("franks a group message per recipient: each member's report verifies as theirs, and only as theirs", async () => {
    const [toBob, toCarol] = await send(mallory, [bob, carol], "to the group");
    expect(Buffer.from(toBob!.tag).equals(Buffer.from(toCarol!.tag))).toBe(false);
    await report(bob, toBob!);
    await report(carol, toCarol!);
    await report(carol, { ...toBob! });
    expect((await verdictRows(toBob!.message.id)).map((r) => r.verdict)).toEqual(["verified", "verified", "tag_mismatch"]);
  });

  it("refuses what cannot be a report with typed errors", async () => {
    const [proof] = await send(mallory, [bob]);
    const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
    const valid = {
      message: proof!.message,
      frankingKey: b64(proof!.frankingKey),
      commitment: b64(proof!.commitment),
      tag: b64(proof!.tag),
      senderUserId: mallory.id,
      deliveredAt: proof!.deliveredAt,
      reason: "spam" as const,
    };
    await expectError(
      bob.call((api) => api.chat.reports.create({ ...valid, tag: randomBytes(31) })),
      "BAD_REQUEST",
    );
    await expectError(
      bob.call((api) => api.chat.reports.create({ ...valid, message: { ...valid.message, body: "nul\u0000" } })),
      "BAD_REQUEST",
      "text_invalid_characters",
    );
    await expectError(
      bob.call((api) => api.chat.reports.create({ ...valid, senderUserId: randomUUID() })),
      "NOT_FOUND",
    );
    await expectError(
      bob.call((api) => api.chat.reports.create({ ...valid, reason: "boredom" as "spam" })),
      "BAD_REQUEST",
      "report_reason_invalid",
    );
  });
});

describe("reports of posts and profiles, and what the operator does", () => {
  it("lists a post's and a profile's report; dismisses one; suspends the account, which then cannot log in or send", async () => {
    const [mallory, bob] = await Promise.all([chatPerson(), chatPerson()]);
    const post = await mallory.call((api) => api.social.posts.create({ text: "buy followers at example.test" }));
    await bob.call((api) => api.social.posts.report({ id: post.id, reason: "spam" }));
    await bob.call((api) => api.social.people.report({ handle: mallory.handle, reason: "other", note: "  impersonates someone  " }));
    await expectError(
      mallory.call((api) => api.social.people.report({ handle: mallory.handle, reason: "spam" })),
      "FORBIDDEN",
    );
    await expectError(
      bob.call((api) => api.social.posts.report({ id: randomUUID(), reason: "spam" })),
      "NOT_FOUND",
    );

    const about = (await operator.call((api) => api.operator.reports.list())).filter((r) => r.subject.userId === mallory.id);
    expect(about.map((r) => r.kind)).toEqual(["profile", "post"]);
    expect(about[0]).toMatchObject({ reason: "other", note: "impersonates someone", reporter: { handle: bob.handle }, dismissedAt: null });
    expect(about[1]).toMatchObject({ reason: "spam", post: { id: post.id, text: "buy followers at example.test" } });

    await operator.call((api) => api.operator.reports.dismiss({ kind: "profile", id: about[0]!.id }));
    const afterDismiss = (await operator.call((api) => api.operator.reports.list())).find((r) => r.id === about[0]!.id);
    expect(afterDismiss?.dismissedAt).toBeInstanceOf(Date);

    await expectError(
      bob.call((api) => api.operator.accounts.setSuspended({ userId: mallory.id, suspended: true })),
      "FORBIDDEN",
    );
    await operator.call((api) => api.operator.accounts.setSuspended({ userId: mallory.id, suspended: true }));
    // Her session ended: she can neither send nor post.
    await expectError(
      mallory.call((api) =>
        api.chat.envelopes.send({ clientMessageId: randomUUID(), envelopes: [{ deviceRowId: bob.deviceRowId, payload: randomBytes(306) }] }),
      ),
      "UNAUTHORIZED",
    );
    await expectError(
      mallory.call((api) => api.social.posts.create({ text: "still here?" })),
      "UNAUTHORIZED",
    );
    await expectError(
      testBrowser().call((api) => api.auth.logIn({ identifier: mallory.email, password: TEST_PASSWORD })),
      "FORBIDDEN",
      "ACCOUNT_SUSPENDED",
    );
    // A wrong password says nothing about the suspension.
    await expectError(
      testBrowser().call((api) => api.auth.logIn({ identifier: mallory.email, password: "not her password at all" })),
      "UNAUTHORIZED",
      "INVALID_CREDENTIALS",
    );
    const listed = (await operator.call((api) => api.operator.reports.list())).find((r) => r.subject.userId === mallory.id);
    expect(listed?.subject.suspended).toBe(true);

    await operator.call((api) => api.operator.accounts.setSuspended({ userId: mallory.id, suspended: false }));
    await testBrowser().call((api) => api.auth.logIn({ identifier: mallory.email, password: TEST_PASSWORD }));
  });

  it("limits reports to twenty an hour per account, whatever is reported", async () => {
    const [mallory, bob] = await Promise.all([chatPerson(), chatPerson()]);
    const post = await mallory.call((api) => api.social.posts.create({ text: "a post" }));
    for (let i = 0; i < 20; i++) await bob.call((api) => api.social.posts.report({ id: post.id, reason: "spam" }));
    await expectError(
      bob.call((api) => api.social.people.report({ handle: mallory.handle, reason: "spam" })),
      "TOO_MANY_REQUESTS",
    );
  });
});
