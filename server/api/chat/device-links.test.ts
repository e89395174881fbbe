// The device-link relay through tRPC's caller, on the real test database: one request and one
// response between two signed-in browsers of the same account, in order and once each; invisible to
// every other account; bounded in number and size.
import { describe, expect, it } from "vitest";
import { TEST_PASSWORD, testBrowser, signedUpPerson, type TestPerson } from "../../testing/test-browser";
import { expectError, randomBytes } from "./chat-testing";

const lookupId = () => randomBytes(16);

/** The same account signed in on a second browser: the device being linked. */
async function newDeviceOf(owner: TestPerson) {
  const browser = testBrowser();
  await browser.call((api) => api.auth.logIn({ identifier: owner.email, password: TEST_PASSWORD }));
  return browser;
}

describe("the device-link relay", () => {
  it("carries one request and then one response between two browsers of the account", async () => {
    const alice = await signedUpPerson();
    const newDevice = await newDeviceOf(alice);
    const id = lookupId();
    const before = Date.now();
    const { expiresAt } = await alice.call((api) => api.chat.link.open({ lookupId: id }));
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + 10 * 60 * 1000 - 1000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 10 * 60 * 1000);
    expect(await newDevice.call((api) => api.chat.link.get({ lookupId: id }))).toEqual({ request: null, response: null, expiresAt });

    await expectError(
      alice.call((api) => api.chat.link.respond({ lookupId: id, response: randomBytes(100) })),
      "CONFLICT",
      "LINK_OUT_OF_ORDER",
    );
    const request = randomBytes(4096);
    expect(await newDevice.call((api) => api.chat.link.request({ lookupId: id, request }))).toEqual({ ok: true });
    await expectError(
      newDevice.call((api) => api.chat.link.request({ lookupId: id, request: randomBytes(10) })),
      "CONFLICT",
      "LINK_OUT_OF_ORDER",
    );
    expect(await alice.call((api) => api.chat.link.get({ lookupId: id }))).toEqual({ request, response: null, expiresAt });

    const response = randomBytes(64 * 1024);
    await alice.call((api) => api.chat.link.respond({ lookupId: id, response }));
    await expectError(
      alice.call((api) => api.chat.link.respond({ lookupId: id, response: randomBytes(10) })),
      "CONFLICT",
      "LINK_OUT_OF_ORDER",
    );
    expect(await newDevice.call((api) => api.chat.link.get({ lookupId: id }))).toEqual({ request, response, expiresAt });

    expect(await newDevice.call((api) => api.chat.link.close({ lookupId: id }))).toEqual({ ok: true });
    await expectError(
      alice.call((api) => api.chat.link.get({ lookupId: id })),
      "NOT_FOUND",
    );
    await expectError(
      alice.call((api) => api.chat.link.close({ lookupId: id })),
      "NOT_FOUND",
    );
    await expectError(
      newDevice.call((api) => api.chat.link.request({ lookupId: id, request })),
      "NOT_FOUND",
    );
  });

  it("answers every other account as if the slot did not exist, and lets it change nothing", async () => {
    const alice = await signedUpPerson();
    const mallory = await signedUpPerson();
    const id = lookupId();
    await alice.call((api) => api.chat.link.open({ lookupId: id }));

    await expectError(
      mallory.call((api) => api.chat.link.get({ lookupId: id })),
      "NOT_FOUND",
      "NOT_FOUND",
    );
    await expectError(
      mallory.call((api) => api.chat.link.request({ lookupId: id, request: randomBytes(32) })),
      "NOT_FOUND",
      "NOT_FOUND",
    );
    await expectError(
      mallory.call((api) => api.chat.link.respond({ lookupId: id, response: randomBytes(32) })),
      "NOT_FOUND",
      "NOT_FOUND",
    );
    await expectError(
      mallory.call((api) => api.chat.link.close({ lookupId: id })),
      "NOT_FOUND",
      "NOT_FOUND",
    );
    // The same answers as for an id no one opened.
    await expectError(
      mallory.call((api) => api.chat.link.get({ lookupId: lookupId() })),
      "NOT_FOUND",
      "NOT_FOUND",
    );

    const slot = await alice.call((api) => api.chat.link.get({ lookupId: id }));
    expect(slot).toMatchObject({ request: null, response: null });
    const request = randomBytes(64);
    await alice.call((api) => api.chat.link.request({ lookupId: id, request }));
    expect((await alice.call((api) => api.chat.link.get({ lookupId: id }))).request).toBe(request);
  });

  it("refuses a lookup id in use, a sixth open slot, and sizes out of bounds", async () => {
    const alice = await signedUpPerson();
    const ids = Array.from({ length: 5 }, lookupId);
    for (const id of ids) await alice.call((api) => api.chat.link.open({ lookupId: id }));
    await expectError(
      alice.call((api) => api.chat.link.open({ lookupId: ids[0]! })),
      "CONFLICT",
      "LINK_SLOT_TAKEN",
    );
    await expectError(
      alice.call((api) => api.chat.link.open({ lookupId: lookupId() })),
      "TOO_MANY_REQUESTS",
      "RATE_LIMITED",
    );
    await alice.call((api) => api.chat.link.close({ lookupId: ids[0]! }));
    await alice.call((api) => api.chat.link.open({ lookupId: lookupId() }));

    const id = ids[1]!;
    await expectError(
      alice.call((api) => api.chat.link.open({ lookupId: randomBytes(15) })),
      "BAD_REQUEST",
      "bytes_length_invalid",
    );
    await expectError(
      alice.call((api) => api.chat.link.get({ lookupId: randomBytes(17) })),
      "BAD_REQUEST",
      "bytes_too_long",
    );
    await expectError(
      alice.call((api) => api.chat.link.request({ lookupId: id, request: "" })),
      "BAD_REQUEST",
      "bytes_length_invalid",
    );
    await expectError(
      alice.call((api) => api.chat.link.request({ lookupId: id, request: randomBytes(4097) })),
      "BAD_REQUEST",
    );
    await alice.call((api) => api.chat.link.request({ lookupId: id, request: randomBytes(1) }));
    await expectError(
      alice.call((api) => api.chat.link.respond({ lookupId: id, response: randomBytes(64 * 1024 + 1) })),
      "BAD_REQUEST",
    );
  });

  it("limits how many slots an account opens in an hour", async () => {
    const alice = await signedUpPerson();
    for (let i = 0; i < 20; i++) {
      const id = lookupId();
      await alice.call((api) => api.chat.link.open({ lookupId: id }));
      await alice.call((api) => api.chat.link.close({ lookupId: id }));
    }
    await expectError(
      alice.call((api) => api.chat.link.open({ lookupId: lookupId() })),
      "TOO_MANY_REQUESTS",
      "RATE_LIMITED",
    );
  });
});
