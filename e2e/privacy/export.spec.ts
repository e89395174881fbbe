import { checkExportAgainstSchema, readZip } from "../../server/testing/export-zip";
import { expect, expectAccessible, newAccount, signUp, test } from "../fixtures/test";

test("a person downloads everything Hearth holds about them, in files that match the published schema", async ({ page }) => {
  const account = newAccount();
  await signUp(page, account);
  await page.goto("/settings/privacy#export");
  const section = page.getByRole("region", { name: "Download your data" });
  await expect(section.getByText("Your device adds your message history to the copy itself.")).toBeVisible();

  await section.getByRole("button", { name: "Prepare a copy of my data" }).click();
  const bar = section.getByRole("progressbar", { name: "Preparing your copy" });
  await expect(bar).toBeVisible();
  // The server's export worker wakes every 2 seconds; the page asks every second.
  await expect(bar).toHaveJSProperty("value", 100, { timeout: 20_000 });
  await expect(section.getByRole("status").filter({ hasText: "Your copy is ready." })).toBeVisible();
  await expect(section.getByText(/^Available until .+\.$/)).toBeVisible();
  await expectAccessible(page);

  const link = section.getByRole("link", { name: /^Download your data \(ZIP, [\d.,]+ [kM]B\)$/ });
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^hearth-${account.handle}-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
  const files = await readZip(await download.path());

  const { schema, jsonFiles, errors } = await checkExportAgainstSchema(files);
  expect(JSON.parse(files.get("schema.json")!.toString())).toEqual(schema);
  expect(files.get("README.html")?.toString()).toContain(`@${account.handle}`);
  expect(jsonFiles).toEqual(Object.keys(schema.$defs).sort());
  for (const name of jsonFiles) expect(errors[name], name).toEqual([]);
  const profile = JSON.parse(files.get("profile.json")!.toString()) as { handle: string; email: string };
  expect(profile).toMatchObject({ handle: account.handle, email: account.email });
});
