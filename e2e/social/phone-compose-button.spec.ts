// On a phone the "Post" button floats above the bottom bar. It must not offer the public composer
// in Messages, where people write private ones, nor sit on a thread's Reply button.
import { uniqueWord } from "../fixtures/people";
import { expect, newAccount, signUp, test } from "../fixtures/test";

test.use({ viewport: { width: 390, height: 844 } });

test("on a phone, the floating Post button and the n shortcut stay out of Messages, and the button off a thread's Reply button", async ({ page }) => {
  const account = newAccount();
  await signUp(page, account);
  const floatingPost = page.getByRole("banner").getByRole("button", { name: "Post", exact: true });

  // A post long enough that its thread scrolls; posted from the home page, where the button floats.
  await page.goto("/");
  await expect(floatingPost).toBeVisible();
  const word = uniqueWord("tall");
  const text = [word, ...Array.from({ length: 59 }, (_, i) => `line ${i + 2}`)].join("\n");
  const composer = page.getByRole("main").getByRole("form", { name: "Write a post" });
  await composer.getByRole("textbox", { name: "Write a post" }).fill(text);
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(page.getByText("Your post was sent.", { exact: true })).toBeVisible();
  const postId = await page.getByRole("article").filter({ hasText: word }).first().getAttribute("data-post-id");
  expect(postId).toBeTruthy();

  // Messages has its own frame: its own navigation, and no public composer anywhere in it.
  await page.goto("/chat");
  await expect(page.getByRole("navigation", { name: "Messages" }).getByRole("link", { name: "Conversations" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("button", { name: "Post", exact: true })).toHaveCount(0);
  // Nor does the "n" shortcut open the public composer there.
  await page.locator("body").press("n");
  await expect(page.getByRole("dialog")).toHaveCount(0);

  await page.goto(`/post/${postId}`);
  await expect(page.getByRole("heading", { level: 1, name: "Post" })).toBeVisible();
  const replyBox = page.getByRole("form", { name: `Reply to @${account.handle}` });
  await replyBox.getByRole("textbox", { name: `Reply to @${account.handle}` }).fill("Answering my own long post.");
  const reply = replyBox.getByRole("button", { name: "Reply", exact: true });
  await expect(reply).toBeEnabled();

  // Bring the Reply button to where the floating button sits (its centre 4.6rem + half its 3.4rem
  // height above the bottom edge), then ask the page what is on top at the Reply button's centre.
  const floatCentreY = 844 - (4.6 + 1.7) * 16;
  const centre = await reply.evaluate((button, y) => {
    const before = button.getBoundingClientRect();
    window.scrollBy(0, before.top + before.height / 2 - y);
    const box = button.getBoundingClientRect();
    const x = box.left + box.width / 2;
    const cy = box.top + box.height / 2;
    const top = document.elementFromPoint(x, cy);
    return { y: cy, onTop: top !== null && (top === button || button.contains(top)) };
  }, floatCentreY);
  expect(Math.abs(centre.y - floatCentreY)).toBeLessThan(2);
  expect(centre.onTop, "the Reply button is the topmost element at its centre").toBe(true);
  await expect(floatingPost).toBeHidden();

  await reply.click();
  await expect(page.getByText("Your reply was sent.", { exact: true })).toBeVisible();
});
