// Disappearing messages and view-once photos, between two people in browsers of their own. The
// browsers' clocks are Playwright's (moved past the expiry); the server's sweep runs "as of" a later
// time through a test-only script (e2e/fixtures/sweep-as-of.ts), which the server itself has no door for.
import { randomBytes } from "node:crypto";
import { crc32, deflateSync } from "node:zlib";
import { follow, leave, signUpPerson, type Person } from "../fixtures/people";
import { queryDatabase, sweepMessagesAsOf } from "../fixtures/database";
import { bytesMustStayPrivate } from "../fixtures/secrets-ledger";
import { expect, test } from "../fixtures/test";
import { message, openConversation, privateText, sendMessage, setUpMessages } from "./chat";

const MINUTE = 60_000;

/** A person whose browser runs on Playwright's clock (installed before Hearth's scripts load), messaging set up. */
async function personOnTestClock(browser: Parameters<typeof signUpPerson>[0], baseURL: string | undefined): Promise<Person> {
  const person = await signUpPerson(browser, baseURL);
  await person.context.clock.install();
  await setUpMessages(person.page);
  return person;
}

/** Envelopes the server holds for this person's devices. */
/** Disappearing envelopes the server holds for this person's devices (typing signals and the like carry no expiry). */
async function envelopesFor(handle: string): Promise<{ expires_at: Date }[]> {
  return queryDatabase(
    `SELECT e.expires_at FROM chat_envelopes e JOIN chat_devices d ON d.id = e.recipient_device_id JOIN users u ON u.id = d.user_id
     WHERE u.handle = $1 AND e.expires_at IS NOT NULL`,
    [handle],
  );
}

test("a disappearing message is gone from both people's browsers and from the server after its expiry", async ({ browser, baseURL }) => {
  // Two browsers making keys on 2 busy cores, and a sweep in a process of its own.
  test.setTimeout(180_000);
  const alice = await personOnTestClock(browser, baseURL);
  const bob = await personOnTestClock(browser, baseURL);
  // They follow each other: a timer set by a stranger opens a message request (requests.spec.ts has those).
  await follow(alice, bob.account.handle);
  await follow(bob, alice.account.handle);

  // Alice sets the timer from the conversation's header, by keyboard; both see it announced.
  await openConversation(alice.page, bob.account.handle);
  const timer = alice.page.getByRole("combobox", { name: "Disappearing messages" });
  await timer.focus();
  await timer.selectOption({ label: "5 minutes" });
  await expect(alice.page.getByTestId("notice").filter({ hasText: "You set disappearing messages to 5 minutes." })).toBeVisible();
  const seen = privateText("gone in five minutes");
  await sendMessage(alice.page, seen);
  await expect(message(alice.page, seen).getByTestId("disappearing-mark")).toBeVisible();

  await openConversation(bob.page, alice.account.handle);
  await expect(bob.page.getByTestId("notice").filter({ hasText: `set disappearing messages to 5 minutes.` })).toBeVisible({ timeout: 20_000 });
  await expect(bob.page.getByTestId("disappearing-timer")).toHaveAttribute("data-seconds", "300");
  await expect(message(bob.page, seen)).toBeVisible();
  await expect(message(alice.page, seen)).toHaveAttribute("data-state", "delivered");

  // Bob goes offline; what Alice sends now waits on the server, with its expiry.
  await bob.context.setOffline(true);
  const unseen = privateText("never fetched");
  const sentAt = Date.now();
  await sendMessage(alice.page, unseen);
  await expect(message(alice.page, unseen)).toHaveAttribute("data-state", "sent");
  const waiting = await envelopesFor(bob.account.handle);
  expect(waiting).toHaveLength(1);
  const expiresAt = waiting[0]!.expires_at.getTime();
  expect(expiresAt).toBeGreaterThan(sentAt + 4 * MINUTE);
  expect(expiresAt).toBeLessThan(Date.now() + 5 * MINUTE + 5_000);

  // Both browsers' clocks pass the expiry: each deletes its copies, thread and list alike.
  await alice.page.clock.fastForward(6 * MINUTE);
  await bob.page.clock.fastForward(6 * MINUTE);
  for (const [person, text] of [
    [alice, seen],
    [alice, unseen],
    [bob, seen],
  ] as const) {
    await expect(message(person.page, text)).toHaveCount(0, { timeout: 20_000 });
  }

  // The server's sweep, as of then, deletes the envelope Bob never fetched; back online, nothing comes.
  expect((await sweepMessagesAsOf(new Date(expiresAt + 1_000))).envelopes).toBeGreaterThanOrEqual(1);
  expect(await envelopesFor(bob.account.handle)).toEqual([]);
  await bob.context.setOffline(false);
  await openConversation(bob.page, alice.account.handle);
  await expect(bob.page.getByTestId("notice").filter({ hasText: "set disappearing messages to 5 minutes." })).toBeVisible();
  // A later message arrives, so the stream has served everything before it: the swept one never comes.
  const later = privateText("after the sweep");
  await sendMessage(alice.page, later);
  await expect(message(bob.page, later)).toBeVisible({ timeout: 20_000 });
  await expect(message(bob.page, unseen)).toHaveCount(0);
  await expect(message(bob.page, seen)).toHaveCount(0);
  await bob.page.goto("/chat");
  await expect(bob.page.getByTestId("conversation").filter({ hasText: alice.account.handle })).not.toContainText(seen);

  await leave(alice);
  await leave(bob);
});

test("a view-once photo opens once, without a save button, and is then gone; the sender sees it opened", async ({ browser, baseURL }) => {
  test.setTimeout(150_000);
  const alice = await signUpPerson(browser, baseURL);
  const bob = await signUpPerson(browser, baseURL);
  await setUpMessages(alice.page);
  await setUpMessages(bob.page);

  await openConversation(alice.page, bob.account.handle);
  const photo = bytesMustStayPrivate(photoBytes());
  await alice.page.getByTestId("attachment-input").setInputFiles([{ name: "once.png", mimeType: "image/png", buffer: Buffer.from(photo) }]);
  await alice.page.getByTestId("view-once-toggle").check();
  await alice.page.getByRole("button", { name: "Send" }).click();
  const sent = alice.page.getByTestId("view-once");
  await expect(sent).toHaveAttribute("data-opened", "false", { timeout: 30_000 });

  await openConversation(bob.page, alice.account.handle);
  const placeholder = bob.page.getByRole("button", { name: "View-once photo — open" });
  await expect(placeholder).toBeEnabled({ timeout: 30_000 });
  await placeholder.click();
  const viewer = bob.page.getByTestId("view-once-viewer");
  await expect(viewer.getByRole("img")).toBeVisible();
  await expect(bob.page.getByRole("dialog").getByRole("link")).toHaveCount(0);
  await bob.page.keyboard.press("Escape");
  await expect(viewer).toHaveCount(0);
  await expect(bob.page.getByTestId("view-once")).toHaveAttribute("data-opened", "true");
  await expect(bob.page.getByRole("button", { name: "View-once photo — open" })).toHaveCount(0);

  // Gone after a reload too, and the blob is gone from the server; Alice sees it opened.
  await bob.page.reload();
  await expect(bob.page.getByTestId("view-once")).toHaveAttribute("data-opened", "true", { timeout: 20_000 });
  await expect(sent).toHaveAttribute("data-opened", "true", { timeout: 20_000 });
  await expect
    .poll(
      async () =>
        (await queryDatabase(`SELECT a.id FROM chat_attachments a JOIN users u ON u.id = a.uploader_id WHERE u.handle = $1`, [alice.account.handle])).length,
    )
    .toBe(0);

  await leave(alice);
  await leave(bob);
});

/** A PNG of random pixels (so the run's teardown can look for its bytes), 64×64. */
function photoBytes(): Uint8Array {
  const width = 64;
  const rows = Buffer.concat(Array.from({ length: width }, () => Buffer.concat([Buffer.from([0]), randomBytes(width * 3)])));
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const framing = Buffer.alloc(8);
    framing.writeUInt32BE(data.length, 0);
    framing.writeUInt32BE(crc32(body), 4);
    return Buffer.concat([framing.subarray(0, 4), body, framing.subarray(4)]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(width, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
