// Reports: Bob reports one of Mallory's messages and one of her posts; the operator sees that one
// message's text with the verdict "Verified" (message franking), and nothing else of the
// conversation, and the post; then suspends Mallory, who is logged out and cannot log in again.
// The reported text is the only chat plaintext the teardown allows, and only in the reports table.
import { message, openConversation, privateText, sendMessage, setUpMessages } from "../chat/chat";
import { follow, leave, signUpPerson, uniqueWord } from "../fixtures/people";
import { reportedToOperators } from "../fixtures/secrets-ledger";
import { expect, expectAccessible, logIn, test } from "../fixtures/test";

/** The operator of the test server: playwright.config.ts lists this handle in HEARTH_OPERATOR_HANDLES. */
const OPERATOR = { handle: "e2e_operator", email: "e2e_operator@example.org", password: "lantern orbit meadow" };

test("a reported message reaches the operator verified, alone; a reported post too; the operator suspends the account", async ({ browser, baseURL }) => {
  test.setTimeout(150_000);
  const [mallory, bob, operator] = await Promise.all([
    signUpPerson(browser, baseURL),
    signUpPerson(browser, baseURL),
    signUpPerson(browser, baseURL, OPERATOR),
  ]);
  const m = mallory.account.handle;
  // Bob follows Mallory, so her messages are not held as a request.
  await follow(bob, m);

  // Mallory posts, then writes to Bob twice.
  const word = uniqueWord("cheap");
  const composer = mallory.page.getByRole("form", { name: "Write a post" });
  await mallory.page.goto("/");
  await composer.getByRole("textbox", { name: "Write a post" }).fill(`Buy ${word} followers now`);
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(mallory.page.getByText("Your post was sent.", { exact: true })).toBeVisible();

  await Promise.all([setUpMessages(mallory.page), setUpMessages(bob.page)]);
  const threat = reportedToOperators(privateText("You will regret this"));
  const other = privateText("Sorry, that was not meant for you");
  await openConversation(mallory.page, bob.account.handle);
  await sendMessage(mallory.page, threat);
  await sendMessage(mallory.page, other);

  // Bob reports the first message only, from its actions menu, by keyboard.
  await openConversation(bob.page, m);
  await expect(message(bob.page, other)).toBeVisible({ timeout: 20_000 });
  const menuButton = message(bob.page, threat).getByRole("button", { name: "Message actions" });
  await menuButton.focus();
  await menuButton.press("ArrowDown");
  const menu = bob.page.getByRole("menu", { name: "Message actions" });
  await bob.page.keyboard.press("End");
  await expect(menu.getByRole("menuitem", { name: "Report…" })).toBeFocused();
  await bob.page.keyboard.press("Enter");
  const dialog = bob.page.getByRole("dialog", { name: "Report message" });
  await expect(dialog.getByText("nothing else of this conversation")).toBeVisible();
  await dialog.getByRole("button", { name: "Send report" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Choose a reason.");
  await dialog.getByRole("radio", { name: "Harassment or threats" }).check();
  await dialog.getByRole("textbox", { name: /Anything the operators should know/ }).fill("She has been at it for days.");
  await expectAccessible(bob.page);
  await dialog.getByRole("button", { name: "Send report" }).click();
  await expect(message(bob.page, threat).getByRole("status")).toHaveText("Reported to the operators.");
  // Once reported, it is not offered again; her own copy has nothing to report.
  await message(bob.page, threat).getByRole("button", { name: "Message actions" }).click();
  await expect(menu.getByRole("menuitem", { name: "Reply" })).toBeVisible();
  await expect(menu.getByRole("menuitem", { name: "Report…" })).toHaveCount(0);
  await bob.page.keyboard.press("Escape");
  await message(mallory.page, threat).getByRole("button", { name: "Message actions" }).click();
  await expect(mallory.page.getByRole("menu", { name: "Message actions" }).getByRole("menuitem", { name: "Reply" })).toBeVisible();
  await expect(mallory.page.getByRole("menuitem", { name: "Report…" })).toHaveCount(0);
  await mallory.page.keyboard.press("Escape");

  // And her post, from her profile.
  await bob.page.goto(`/@${m}`);
  const post = bob.page.getByRole("article").filter({ hasText: word });
  await post.getByRole("button", { name: "More options for this post" }).click();
  await bob.page.getByRole("menuitem", { name: "Report post" }).click();
  const postDialog = bob.page.getByRole("dialog", { name: "Report post" });
  await postDialog.getByRole("radio", { name: "Spam" }).check();
  await postDialog.getByRole("button", { name: "Send report" }).click();
  await expect(bob.page.getByText("Report sent.", { exact: false })).toBeVisible();

  // The operator sees both, newest first: the post, then the message, verified, with its text only.
  await operator.page.goto("/operator/reports");
  // Other tests of the run may report too: these are the ones about Mallory.
  const reports = operator.page.getByTestId("report").filter({ hasText: `About @${m} ` });
  await expect(reports).toHaveCount(2);
  await expect(reports.nth(0)).toHaveAttribute("data-kind", "post");
  await expect(reports.nth(0).getByTestId("report-text")).toHaveText(`Buy ${word} followers now`);
  const reported = reports.nth(1);
  await expect(reported).toHaveAttribute("data-kind", "message");
  await expect(reported.getByTestId("report-text")).toHaveText(threat);
  await expect(reported.getByTestId("report-verdict")).toHaveText(new RegExp(`^Verified: sent by @${m} at `));
  await expect(reported).toContainText(`Reported by @${bob.account.handle} · Harassment or threats`);
  await expect(reported).toContainText("She has been at it for days.");
  await expect(operator.page.getByText(other)).toHaveCount(0);
  await expectAccessible(operator.page);

  // Suspended: Mallory is logged out at once and cannot log in again.
  await reported.getByRole("button", { name: `Suspend @${m}` }).click();
  await operator.page
    .getByRole("dialog", { name: `Suspend @${m}?` })
    .getByRole("button", { name: `Suspend @${m}` })
    .click();
  await expect(operator.page.getByText(`@${m} is suspended.`)).toBeVisible();
  await expect(reports.nth(0).getByText("Suspended")).toBeVisible();

  await mallory.page.goto("/");
  await expect(mallory.page).toHaveURL(/\/login/);
  await logIn(mallory.page, mallory.account);
  await expect(mallory.page.getByRole("alert").filter({ hasText: "This account is suspended." })).toBeVisible();

  // Anyone else gets no reports page at all.
  expect((await bob.page.goto("/operator/reports"))?.status()).toBe(404);

  await Promise.all([leave(mallory), leave(bob), leave(operator)]);
});
