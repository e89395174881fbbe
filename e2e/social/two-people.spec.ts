import { expect, expectAccessible, test } from "../fixtures/test";
import { follow, leave, signUpPerson, TINY_PNG, uniqueWord } from "../fixtures/people";

test("two people follow, post, answer, find each other, are told, and one blocks the other", async ({ browser, baseURL }) => {
  // Two people, a dozen page loads and six accessibility scans: a long journey, not a slow step.
  test.slow();
  const alice = await signUpPerson(browser, baseURL);
  const bob = await signUpPerson(browser, baseURL);
  const a = alice.account.handle;
  const b = bob.account.handle;

  await follow(bob, a);
  await expectAccessible(bob.page);

  // Alice posts a photo with a description and a word no one else has used.
  const word = uniqueWord("harbour");
  const altText = "A square of warm orange, like a lantern seen up close";
  const composer = alice.page.getByRole("form", { name: "Write a post" });
  await composer.getByRole("textbox", { name: "Write a post" }).fill(`Evening light over the ${word}`);
  await composer.locator('input[type="file"]').setInputFiles({ name: "lantern.png", mimeType: "image/png", buffer: TINY_PNG });
  await composer.getByLabel("Description of image 1").fill(altText);
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(alice.page.getByText("Your post was sent.", { exact: true })).toBeVisible();

  // Bob sees it on his home timeline, the photo described for screen readers.
  const home = bob.page;
  await home.goto("/");
  const first = home.getByRole("article").filter({ hasText: word }).first();
  await expect(first).toBeVisible();
  const postId = await first.getAttribute("data-post-id");
  expect(postId).toBeTruthy();
  const post = home.locator(`article[data-post-id="${postId}"]`).first();
  await expect(post.locator("img")).toHaveAttribute("alt", altText);
  await expect(post.getByRole("button", { name: `Open image: ${altText}` })).toBeVisible();
  await expectAccessible(home);

  // He replies, likes, reposts and quotes.
  await post.getByRole("button", { name: /^Reply,/ }).click();
  const replyDialog = home.getByRole("dialog", { name: "Reply" });
  await replyDialog.getByRole("textbox", { name: `Reply to @${a}` }).fill("That light is something else.");
  await replyDialog.getByRole("button", { name: "Reply", exact: true }).click();
  await expect(home.getByText("Your reply was sent.", { exact: true })).toBeVisible();

  await post.getByRole("button", { name: /^Like,/ }).click();
  await expect(post.getByRole("button", { name: /^Like,/ })).toHaveAttribute("aria-pressed", "true");

  await post.getByRole("button", { name: /^Repost or quote,/ }).click();
  await home.getByRole("menuitem", { name: "Repost" }).click();
  await expect(home.getByText("Reposted.", { exact: true })).toBeVisible();

  await post.getByRole("button", { name: /^Reposted: undo or quote,/ }).click();
  await home.getByRole("menuitem", { name: "Quote" }).click();
  const quoteDialog = home.getByRole("dialog", { name: "Quote post" });
  await quoteDialog.getByRole("textbox", { name: "Quote this post" }).fill("Everyone should see this harbour.");
  await quoteDialog.getByRole("button", { name: "Post", exact: true }).click();
  await expect(home.getByText("Your post was sent.", { exact: true })).toBeVisible();

  await home.goto(`/post/${postId}`);
  await expect(home.getByRole("heading", { level: 1, name: "Post" })).toBeVisible();
  await expect(home.getByRole("feed", { name: "Replies" }).getByText("That light is something else.")).toBeVisible();
  await expectAccessible(home);

  // Alice is told, and the badge in the navigation goes once she has looked.
  await alice.page.goto("/");
  const notificationsLink = alice.page.getByRole("link", { name: /^Notifications/ });
  await expect(notificationsLink).toHaveAccessibleName(/\d+ unread/);
  await notificationsLink.click();
  await expect(alice.page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  const list = alice.page.getByRole("list", { name: "Notifications, newest first" });
  for (const sentence of ["liked your post", "reposted your post", "replied to you", "quoted your post", "followed you"]) {
    await expect(list.getByRole("listitem").filter({ hasText: `${b} ${sentence}` })).toBeVisible();
  }
  await expect(list.getByText("That light is something else.")).toBeVisible();
  await expect(list.getByText("Everyone should see this harbour.")).toBeVisible();
  await expect(list.getByRole("link", { name: `Evening light over the ${word}` }).first()).toHaveAttribute("href", `/post/${postId}`);
  await expectAccessible(alice.page);
  await expect(notificationsLink).toHaveAccessibleName(/^Notifications$/);
  await alice.page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(alice.page.getByText("Nothing new", { exact: true })).toBeVisible();

  // Search finds the post by its word, and Alice by her handle.
  await home.goto(`/search?q=${word}`);
  const found = home.getByRole("feed", { name: `Posts matching “${word}”, best match first` }).getByRole("article");
  await expect(found).toHaveCount(1);
  await expect(found).toContainText(word);
  await expectAccessible(home);
  // Results answer at once, like every other list of posts.
  const like = found.getByRole("button", { name: /^Like,/ });
  await like.click();
  await expect(like).toHaveAttribute("aria-pressed", "false");
  await like.click();
  await expect(like).toHaveAttribute("aria-pressed", "true");
  const field = home.getByRole("searchbox", { name: "Search posts and people" });
  await field.fill(a);
  await field.press("Enter");
  await expect(home).toHaveURL(new RegExp(`/search\\?q=${a}$`));
  await home.getByRole("link", { name: "People", exact: true }).click();
  const people = home.getByRole("list", { name: `People matching “${a}”` });
  const row = people.getByRole("listitem").filter({ hasText: `@${a}` });
  await expect(row).toBeVisible();
  await expect(row.getByRole("button", { name: /^(Following|Unfollow)$/ })).toBeVisible();
  await expectAccessible(home);

  // Bob blocks Alice: her posts leave his timeline and his search.
  await home.goto(`/@${a}`);
  await home
    .getByRole("main")
    .getByRole("button", { name: `More options for @${a}` })
    .click();
  await home.getByRole("menuitem", { name: `Block @${a}` }).click();
  await home
    .getByRole("dialog", { name: `Block @${a}?` })
    .getByRole("button", { name: "Block", exact: true })
    .click();
  await expect(home.getByText(`Blocked @${a}.`, { exact: true })).toBeVisible();

  await home.goto("/");
  await expect(home.getByRole("feed", { name: "Your timeline" }).getByText("That light is something else.")).toBeVisible();
  await expect(home.getByRole("main").getByText(word)).toHaveCount(0);
  await home.goto(`/search?q=${word}`);
  await expect(home.getByRole("heading", { name: `No posts match “${word}”` })).toBeVisible();

  await leave(alice);
  await leave(bob);
});
