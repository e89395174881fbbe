import { expect, expectAccessible, test } from "../fixtures/test";
import { follow, leave, signUpPerson, TINY_PNG } from "../fixtures/people";

test("a story reaches followers, plays, tells its author who saw it, and is gone after a day", async ({ browser, baseURL }) => {
  // Two people, two stories and a jump of the server's clock: a long journey, not a slow step.
  test.slow();
  const alice = await signUpPerson(browser, baseURL);
  const carol = await signUpPerson(browser, baseURL);
  const a = alice.account.handle;
  await follow(carol, a);

  // Alice shares a text story, then a photo story, which needs its description first.
  const own = alice.page;
  await own.goto("/");
  await own.getByRole("button", { name: "Add story" }).click();
  let composer = own.getByRole("dialog", { name: "New story" });
  await composer.getByRole("textbox", { name: "Text", exact: true }).fill("Market day: the first plums are in.");
  await composer.getByRole("button", { name: "Share story" }).click();
  await expect(own.getByText("Your story is up for 24 hours.", { exact: true })).toBeVisible();

  await own.getByRole("button", { name: "Add story" }).click();
  composer = own.getByRole("dialog", { name: "New story" });
  await composer.locator('input[type="file"]').setInputFiles({ name: "plums.png", mimeType: "image/png", buffer: TINY_PNG });
  const description = composer.getByRole("textbox", { name: "Description of the photo" });
  await expect(description).toBeVisible();
  await expect(composer.locator("img")).toHaveAttribute("src", /\/api\/media\/.+\/preview$/);
  await composer.getByRole("button", { name: "Share story" }).click();
  await expect(description).toHaveAccessibleDescription(/Describe the photo before you share it/);
  await expect(description).toBeFocused();
  await description.fill("A crate of dark purple plums on a market stall");
  await composer.getByRole("button", { name: "Share story" }).click();
  await expect(own.getByText("Your story is up for 24 hours.", { exact: true })).toBeVisible();
  await expect(own.getByRole("button", { name: "Your story: 2 stories", exact: true })).toBeVisible();

  // Carol, who follows her, sees both in the bar, ringed as new; they play one after the other.
  const home = carol.page;
  await home.goto("/");
  const reel = home.getByRole("button", { name: `${a}: 2 stories, 2 new` });
  await expect(reel).toBeVisible();
  await expectAccessible(home);
  await reel.click();
  // The pointer away from the story, which would otherwise hold it.
  await home.mouse.move(0, 0);
  const viewer = home.getByRole("dialog", { name: `Story by ${a}` });
  await expect(viewer.getByText("Market day: the first plums are in.")).toBeVisible();
  await expect(viewer.getByText("1 of 2")).toBeVisible();
  await expect(viewer.getByText("2 of 2")).toBeVisible();
  await viewer.getByRole("button", { name: "Pause" }).click();
  await expect(viewer.getByRole("button", { name: "Pause" })).toHaveAttribute("aria-pressed", "true");
  await expect(viewer.locator("img")).toHaveAttribute("alt", "A crate of dark purple plums on a market stall");
  await expectAccessible(home);
  await home.keyboard.press("ArrowLeft");
  await expect(viewer.getByText("1 of 2")).toBeVisible();
  await home.keyboard.press("Escape");
  await expect(viewer).toBeHidden();
  await expect(home.getByRole("button", { name: `${a}: 2 stories`, exact: true })).toBeVisible();

  // With reduced motion, stories wait to be moved on.
  await home.emulateMedia({ reducedMotion: "reduce" });
  await home.getByRole("button", { name: `${a}: 2 stories`, exact: true }).click();
  await expect(viewer.getByText("1 of 2 · paused")).toBeVisible();
  await home.keyboard.press("ArrowRight");
  await expect(viewer.getByText("2 of 2 · paused")).toBeVisible();
  await home.keyboard.press("Escape");
  await expect(viewer).toBeHidden();

  // Alice sees who saw her story.
  await own.emulateMedia({ reducedMotion: "reduce" });
  await own.goto("/");
  await own.getByRole("button", { name: "Your story: 2 stories", exact: true }).click();
  const ownViewer = own.getByRole("dialog", { name: "Your story" });
  await ownViewer.getByRole("button", { name: "Seen by 1 person" }).click();
  await expect(ownViewer.getByRole("listitem").filter({ hasText: `@${carol.account.handle}` })).toBeVisible();
  await own.keyboard.press("Escape");

  // A day and an hour later, the stories are gone.
  await carol.context.setExtraHTTPHeaders({ ...carol.headers, "x-hearth-test-now": new Date(Date.now() + 25 * 3600e3).toISOString() });
  await home.reload();
  await expect(home.getByRole("button", { name: "Add story" })).toBeVisible();
  await expect(home.getByRole("button", { name: new RegExp(`^${a}: `) })).toHaveCount(0);

  await leave(alice);
  await leave(carol);
});
