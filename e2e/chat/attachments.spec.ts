// Files in a group, end to end in three browsers. Alice sends, in one message with a caption, a
// photo that carries where it was taken (EXIF GPS) and a 20 MB file of random bytes. Bob and Carol
// see the photo's thumbnail at once; the photo comes by itself and the file on a click. The bytes
// Bob saves are Alice's; the photo he gets has lost its metadata (Alice's browser drew it again).
// On the server's disk the blobs are ciphertext while they wait and are gone once every device has
// fetched them. The caption, the names, the marker hidden in the photo and windows of both files'
// bytes are written down for the run's teardown, which looks for them at rest.
//
// The photo is made here with sharp (a dependency of the server): random pixels, so no 64 bytes of
// it turn up anywhere by chance, with an EXIF block holding a GPS position (the Eiffel tower's) and
// a one-off marker string as its ImageDescription; exifreader confirms the block is really there.
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { BrowserContext, Page, Route } from "@playwright/test";
import ExifReader from "exifreader";
import sharp from "sharp";
import { follow, leave, signUpPerson } from "../fixtures/people";
import { bytesMustStayPrivate, e2eDataDir, mustStayPrivate } from "../fixtures/secrets-ledger";
import { expect, expectAccessible, test } from "../fixtures/test";
import { composer, makeGroup, message, openGroupFromList, privateText, setUpMessages } from "./chat";

const ATTACHMENT_ROUTE = /\/api\/chat\/attachments\/([^/?#]+)/;
/** Where the server keeps attachment blobs (server/media/media-storage.ts, attachmentStorage). */
const BLOB_STORE = path.join(e2eDataDir, "chat-attachments");
const PHOTO = { width: 120, height: 80 };
const BIG_FILE_BYTES = 20 * 1024 * 1024;

/** A JPEG of random pixels whose EXIF says where it was taken and carries `marker`. */
async function photoWithPlace(marker: string): Promise<Buffer> {
  const pixels = randomBytes(PHOTO.width * PHOTO.height * 3);
  return sharp(pixels, { raw: { ...PHOTO, channels: 3 } })
    .withExif({
      IFD0: { ImageDescription: marker, Make: "Hearth test camera" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 2964/100", GPSLongitudeRef: "E", GPSLongitude: "2/1 17/1 4008/100" },
    })
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** The EXIF tags of a JPEG, or none when it has no metadata block at all. */
function tagsOf(jpeg: Buffer): ExifReader.ExpandedTags {
  try {
    return ExifReader.load(jpeg, { expanded: true });
  } catch (error) {
    if (error instanceof Error && error.name === "MetadataMissingError") return {};
    throw error;
  }
}

/**
 * Holds this browser's requests of `method` to the attachment route until `release` (so a file can
 * be seen while it moves); requests of other methods, and all of them after, pass at once. The
 * route stays: taking it away while a held request is being let go would race with it.
 */
async function holdTransfers(context: BrowserContext, method: "GET" | "PATCH"): Promise<{ release: () => void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await context.route(ATTACHMENT_ROUTE, async (route: Route) => {
    if (route.request().method() === method) await released;
    await route.continue();
  });
  return { release };
}

/** The stored blob of an attachment: its file's name ends with the attachment's id (server/data/chat/attachments.ts, attachmentKeyOf). */
function storedBlobOf(id: string): string | null {
  if (!existsSync(BLOB_STORE)) return null;
  const found = readdirSync(BLOB_STORE, { recursive: true, encoding: "utf8" }).find((name) => path.basename(name).endsWith(id));
  return found ? path.join(BLOB_STORE, found) : null;
}

/** Whether `haystack` holds any of three 64-byte windows (start, middle, end) of `plain`. */
function holdsPartOf(haystack: Buffer, plain: Buffer): boolean {
  const at = [0, Math.floor(plain.length / 2), plain.length - 64];
  return at.some((start) => haystack.includes(plain.subarray(start, start + 64)));
}

function attachmentNamed(page: Page, name: string) {
  return page.locator(`[data-testid="attachment"][data-name="${name}"]`);
}

test("a photo and a 20 MB file in a group: thumbnails at once, the photo by itself without its metadata, the file on a click, blobs gone once fetched", async ({
  browser,
  baseURL,
}) => {
  // Three browsers, each loading the crypto core and making keys, and 20 MB sealed, uploaded and
  // fetched twice: on 2 cores this takes about a minute.
  test.setTimeout(150_000);
  const [alice, bob, carol] = await Promise.all([signUpPerson(browser, baseURL), signUpPerson(browser, baseURL), signUpPerson(browser, baseURL)]);
  await Promise.all([setUpMessages(alice.page), setUpMessages(bob.page), setUpMessages(carol.page)]);
  await follow(alice, bob.account.handle);
  await follow(alice, carol.account.handle);
  // They follow Alice back, so the group is no message request for them (e2e/chat/requests.spec.ts has those).
  await follow(bob, alice.account.handle);
  await follow(carol, alice.account.handle);
  const groupName = privateText("files group");
  await makeGroup(alice, groupName, [bob, carol]);

  // Bob's and Carol's downloads wait until they have been seen waiting (thumbnail, "downloading").
  const downloadsHeld = await Promise.all([holdTransfers(bob.context, "GET"), holdTransfers(carol.context, "GET")]);
  await openGroupFromList(bob.page, groupName);
  await openGroupFromList(carol.page, groupName);

  const marker = mustStayPrivate(`exif-marker-${randomBytes(8).toString("hex")}`);
  const photo = await photoWithPlace(marker);
  const before = tagsOf(photo);
  expect(before.gps?.Latitude).toBeCloseTo(48.858, 3);
  expect(photo.includes(marker)).toBe(true);
  const big = randomBytes(BIG_FILE_BYTES);
  bytesMustStayPrivate(photo);
  bytesMustStayPrivate(big);
  const photoName = mustStayPrivate(`holiday-${randomBytes(4).toString("hex")}.jpg`);
  const bigName = mustStayPrivate(`archive-${randomBytes(4).toString("hex")}.bin`);

  // Alice chooses both files, writes a caption and sends; her first upload is held so its progress shows.
  const uploadIds: string[] = [];
  alice.page.on("request", (request) => {
    const id = ATTACHMENT_ROUTE.exec(request.url())?.[1];
    if (request.method() === "PATCH" && id && !uploadIds.includes(decodeURIComponent(id))) uploadIds.push(decodeURIComponent(id));
  });
  const uploadHeld = await holdTransfers(alice.context, "PATCH");
  await alice.page.getByTestId("attachment-input").setInputFiles([
    { name: photoName, mimeType: "image/jpeg", buffer: photo },
    { name: bigName, mimeType: "application/octet-stream", buffer: big },
  ]);
  await expect(alice.page.getByTestId("attachment-tray-item")).toHaveCount(2);
  await expect(alice.page.getByTestId("attachment-tray")).toContainText(bigName);
  const caption = privateText("the photo and the archive");
  await composer(alice.page).fill(caption);
  await composer(alice.page).press("Enter");
  const sent = message(alice.page, caption);
  await expect(sent).toBeVisible({ timeout: 20_000 });
  await expect(alice.page.getByTestId("attachment-tray")).toHaveCount(0);
  const sending = attachmentNamed(alice.page, photoName);
  await expect(sending).toHaveAttribute("data-status", "uploading");
  await expect(sending.getByTestId("attachment-progress")).toHaveAttribute("aria-valuenow", /^\d+$/);
  await expect(sending.getByTestId("attachment-cancel")).toBeVisible();
  uploadHeld.release();
  await expect(sent).toHaveAttribute("data-state", /^(sent|delivered)$/, { timeout: 60_000 });
  await expect(attachmentNamed(alice.page, bigName)).toHaveAttribute("data-status", "downloaded");

  // On the server's disk: one blob per file, ciphertext only.
  expect(uploadIds).toHaveLength(2);
  const stored = uploadIds.map((id) => ({ id, bytes: readFileSync(storedBlobOf(id) ?? path.join(BLOB_STORE, `missing-${id}`)) }));
  const storedBig = stored.find(({ bytes }) => bytes.length >= BIG_FILE_BYTES);
  expect(storedBig, "a stored blob at least as large as the 20 MB file").toBeDefined();
  expect(holdsPartOf(storedBig!.bytes, big)).toBe(false);
  expect(storedBig!.bytes.subarray(0, 4096).equals(big.subarray(0, 4096))).toBe(false);
  for (const { bytes } of stored) expect(bytes.includes(marker)).toBe(false);

  // Bob and Carol see the message with the photo's thumbnail while its download waits; the file waits for a click.
  for (const person of [bob, carol]) {
    await expect(message(person.page, caption)).toBeVisible({ timeout: 20_000 });
    const incoming = attachmentNamed(person.page, photoName);
    await expect(incoming.getByTestId("attachment-thumbnail")).toBeVisible();
    await expect(incoming).toHaveAttribute("data-status", "downloading");
    await expect(incoming.getByTestId("attachment-progress")).toBeVisible();
    await expect(attachmentNamed(person.page, bigName)).toHaveAttribute("data-status", "available");
  }
  for (const held of downloadsHeld) held.release();
  for (const person of [bob, carol]) {
    const incoming = attachmentNamed(person.page, photoName);
    await expect(incoming).toHaveAttribute("data-status", "downloaded", { timeout: 20_000 });
    await expect(incoming.getByTestId("attachment-image")).toBeVisible();
    await expect(attachmentNamed(person.page, bigName)).toHaveAttribute("data-status", "available");
  }

  // Bob opens the photo full size and saves it: drawn again on Alice's device, without its EXIF.
  await bob.page.getByRole("button", { name: `View ${photoName} full size` }).click();
  const viewer = bob.page.getByRole("dialog", { name: photoName });
  await expect(viewer.getByRole("img", { name: photoName })).toBeVisible();
  const [photoDownload] = await Promise.all([bob.page.waitForEvent("download"), viewer.getByTestId("attachment-viewer-download").click()]);
  const received = await readFile(await photoDownload.path());
  bytesMustStayPrivate(received);
  expect(received.subarray(0, 2).toString("hex")).toBe("ffd8");
  expect(await sharp(received).metadata()).toMatchObject({ format: "jpeg", ...PHOTO });
  expect(received.includes(marker)).toBe(false);
  expect(received.includes("Exif\0\0")).toBe(false);
  const after = tagsOf(received);
  expect(after.gps).toBeUndefined();
  expect(after.exif).toBeUndefined();
  await bob.page.keyboard.press("Escape");
  await expect(viewer).toHaveCount(0);

  // Bob downloads the 20 MB file and saves the very bytes Alice sent; its blob stays for Carol.
  const bigAtBob = attachmentNamed(bob.page, bigName);
  const [bigDownload] = await Promise.all([bob.page.waitForEvent("download", { timeout: 60_000 }), bigAtBob.getByTestId("attachment-download").click()]);
  expect(bigDownload.suggestedFilename()).toBe(bigName);
  const saved = await readFile(await bigDownload.path());
  expect(saved.length).toBe(big.length);
  expect(saved.equals(big), "Bob's saved file is Alice's, byte for byte").toBe(true);
  await expect(bigAtBob).toHaveAttribute("data-status", "downloaded");
  expect(storedBlobOf(storedBig!.id), "the file's blob, which Carol has not fetched yet").not.toBeNull();
  await expectAccessible(bob.page);

  // Carol fetches it too: every device has both files, so the server deletes their blobs.
  const bigAtCarol = attachmentNamed(carol.page, bigName);
  await Promise.all([carol.page.waitForEvent("download", { timeout: 60_000 }), bigAtCarol.getByTestId("attachment-download").click()]);
  await expect(bigAtCarol).toHaveAttribute("data-status", "downloaded");
  await expect.poll(() => uploadIds.filter((id) => storedBlobOf(id) !== null), { timeout: 10_000 }).toEqual([]);

  for (const person of [alice, bob, carol]) await leave(person);
});
