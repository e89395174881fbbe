import { readFile } from "node:fs/promises";
import Ajv2020 from "ajv/dist/2020.js";
import yauzl from "yauzl";
import { expect, expectAccessible, newAccount, signUp, test } from "../fixtures/test";

function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("end", () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

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
  await expect(section.getByRole("status")).toHaveText("Your copy is ready.");
  await expect(section.getByText(/^Available until .+\.$/)).toBeVisible();
  await expectAccessible(page);

  const link = section.getByRole("link", { name: /^Download your data \(ZIP, [\d.,]+ [kM]B\)$/ });
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^hearth-${account.handle}-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
  const files = await readZip(await download.path());

  const schema = JSON.parse(await readFile("docs/export-schema.json", "utf8")) as { $defs: Record<string, unknown> };
  expect(JSON.parse(files.get("schema.json")!.toString())).toEqual(schema);
  expect(files.get("README.html")?.toString()).toContain(`@${account.handle}`);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  ajv.addSchema(schema);
  const jsonFiles = [...files.keys()].filter((name) => name.endsWith(".json") && name !== "schema.json");
  expect(jsonFiles.sort()).toEqual(Object.keys(schema.$defs).sort());
  for (const name of jsonFiles) {
    const validate = ajv.getSchema(`hearth-data-export/1#/$defs/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`)!;
    validate(JSON.parse(files.get(name)!.toString()));
    expect(validate.errors ?? [], name).toEqual([]);
  }
  const profile = JSON.parse(files.get("profile.json")!.toString()) as { handle: string; email: string };
  expect(profile).toMatchObject({ handle: account.handle, email: account.email });
});
