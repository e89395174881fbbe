// Passkeys through the real router with a software authenticator: registration bound to the
// asking session, log-in without a name or password, each challenge used once and for five
// minutes, a cloned authenticator (counter going back) refused, and removal behind the password.
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../data/db";
import { softwareAuthenticator } from "../testing/software-authenticator";
import { signedUpPerson, testBrowser, TEST_PASSWORD, type TestPerson } from "../testing/test-browser";

beforeAll(() => {
  process.env.HEARTH_TEST_CLOCK = "1";
});

// The origin the tests' server configuration gives (HEARTH_PUBLIC_ORIGIN unset: http://HOST:PORT).
const ORIGIN = "http://localhost:3000";

async function appErrorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return (error.cause as { code?: string } | undefined)?.code ?? error.code;
    throw error;
  }
  throw new Error("the call succeeded");
}

async function personWithPasskey(name = "Laptop") {
  const person = await signedUpPerson();
  const authenticator = softwareAuthenticator({ origin: ORIGIN });
  const options = await person.call((api) => api.auth.passkeys.registrationOptions());
  await person.call((api) => api.auth.passkeys.register({ response: authenticator.create(options), name }));
  return { person, authenticator };
}

async function logInWith(authenticator: ReturnType<typeof softwareAuthenticator>, pick?: Parameters<ReturnType<typeof softwareAuthenticator>["get"]>[1]) {
  const browser = testBrowser();
  const options = await browser.call((api) => api.auth.passkeys.logInOptions());
  const response = authenticator.get(options, pick);
  return { browser, options, response, result: browser.call((api) => api.auth.passkeys.logIn({ response })) };
}

describe("passkeys", () => {
  it("registers a discoverable passkey for the configured origin, lists it and logs the addition", async () => {
    const person = await signedUpPerson();
    const options = await person.call((api) => api.auth.passkeys.registrationOptions());
    expect(options.rp.id).toBe("localhost");
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    await person.call((api) => api.auth.passkeys.register({ response: softwareAuthenticator({ origin: ORIGIN }).create(options), name: "  Laptop " }));
    expect(await person.call((api) => api.auth.passkeys.list())).toMatchObject([{ name: "Laptop", lastUsedAt: null }]);
    const log = await person.call((api) => api.privacy.accessLog({ filter: "security" }));
    expect(log.entries).toMatchObject([{ action: "passkey_added", detail: "Laptop" }]);
  });

  it("logs in with the passkey alone, with no name or password, and records its use", async () => {
    const { person, authenticator } = await personWithPasskey();
    const { browser, result } = await logInWith(authenticator);
    await result;
    expect((await browser.call((api) => api.auth.me()))?.userId).toBe(person.id);
    const [listed] = await person.call((api) => api.auth.passkeys.list());
    expect(listed?.lastUsedAt).toBeInstanceOf(Date);
  });

  it("skips the two-factor step: a passkey is two factors in one", async () => {
    const { person, authenticator } = await personWithPasskey();
    const { generateHOTP } = await import("@oslojs/otp");
    const { decodeBase32IgnorePadding } = await import("@oslojs/encoding");
    const { totpStepAt } = await import("./totp");
    const { secret } = await person.call((api) => api.auth.twoFactor.begin());
    const code = generateHOTP(decodeBase32IgnorePadding(secret.replace(/ /g, "")), totpStepAt(new Date()), 6);
    await person.call((api) => api.auth.twoFactor.confirm({ code }));
    const { browser, result } = await logInWith(authenticator);
    await result;
    expect((await browser.call((api) => api.auth.me()))?.userId).toBe(person.id);
  });

  it("uses each challenge once: a replayed answer is refused", async () => {
    const { authenticator } = await personWithPasskey();
    const { result, response } = await logInWith(authenticator);
    await result;
    const replay = testBrowser();
    expect(await appErrorOf(replay.call((api) => api.auth.passkeys.logIn({ response })))).toBe("PASSKEY_INVALID");
    expect(replay.cookie).toBe("");
  });

  it("refuses a challenge older than five minutes", async () => {
    const { authenticator } = await personWithPasskey();
    const browser = testBrowser();
    const options = await browser.call((api) => api.auth.passkeys.logInOptions());
    browser.setHeader("x-hearth-test-now", new Date(Date.now() + 5 * 60_000 + 1000).toISOString());
    expect(await appErrorOf(browser.call((api) => api.auth.passkeys.logIn({ response: authenticator.get(options) })))).toBe("PASSKEY_INVALID");
  });

  it("binds a registration challenge to the session that asked: another session cannot use it", async () => {
    const person = await signedUpPerson();
    const options = await person.call((api) => api.auth.passkeys.registrationOptions());
    const response = softwareAuthenticator({ origin: ORIGIN }).create(options);
    const otherSession = testBrowser();
    await otherSession.call((api) => api.auth.logIn({ identifier: person.email, password: TEST_PASSWORD }));
    expect(await appErrorOf(otherSession.call((api) => api.auth.passkeys.register({ response, name: "Stolen" })))).toBe("PASSKEY_INVALID");
    const attacker = await signedUpPerson();
    expect(await appErrorOf(attacker.call((api) => api.auth.passkeys.register({ response, name: "Stolen" })))).toBe("PASSKEY_INVALID");
    expect(await person.call((api) => api.auth.passkeys.list())).toEqual([]);
  });

  it("refuses an answer made for another origin (a phishing site's)", async () => {
    const person = await signedUpPerson();
    const options = await person.call((api) => api.auth.passkeys.registrationOptions());
    const response = softwareAuthenticator({ origin: "https://hearth.example.evil" }).create(options);
    expect(await appErrorOf(person.call((api) => api.auth.passkeys.register({ response, name: "Phished" })))).toBe("PASSKEY_INVALID");
  });

  it("refuses a cloned authenticator whose counter went back", async () => {
    const { authenticator } = await personWithPasskey();
    await (
      await logInWith(authenticator, { counter: 10 })
    ).result;
    const clone = await logInWith(authenticator, { counter: 5 });
    expect(await appErrorOf(clone.result)).toBe("PASSKEY_INVALID");
  });

  it("renames and removes only one's own passkeys; removal needs the password", async () => {
    const { person, authenticator } = await personWithPasskey("Old name");
    const [passkey] = await person.call((api) => api.auth.passkeys.list());
    const stranger = await signedUpPerson();
    expect(await appErrorOf(stranger.call((api) => api.auth.passkeys.rename({ id: passkey!.id, name: "Mine" })))).toBe("NOT_FOUND");
    expect(await appErrorOf(stranger.call((api) => api.auth.passkeys.remove({ id: passkey!.id, proof: { password: TEST_PASSWORD } })))).toBe("NOT_FOUND");
    // A right-to-left override would show "Phone<U+202E>yek.exe" as "Phoneexe.key": it is taken out.
    await person.call((api) => api.auth.passkeys.rename({ id: passkey!.id, name: "Phone\u202E" }));
    expect((await person.call((api) => api.auth.passkeys.list()))[0]!.name).toBe("Phone");
    expect(await appErrorOf(person.call((api) => api.auth.passkeys.remove({ id: passkey!.id, proof: { password: "a guess" } })))).toBe("INVALID_CREDENTIALS");
    await person.call((api) => api.auth.passkeys.remove({ id: passkey!.id, proof: { password: TEST_PASSWORD } }));
    expect(await person.call((api) => api.auth.passkeys.list())).toEqual([]);
    expect(await appErrorOf((await logInWith(authenticator)).result)).toBe("PASSKEY_INVALID");
    const log = await person.call((api) => api.privacy.accessLog({ filter: "security" }));
    expect(log.entries).toMatchObject([
      { action: "passkey_removed", detail: "Phone" },
      { action: "passkey_added", detail: "Old name" },
    ]);
  });

  it("limits passkey setups per account", async () => {
    const person: TestPerson = await signedUpPerson();
    for (let i = 0; i < 20; i++) await person.call((api) => api.auth.passkeys.registrationOptions());
    expect(await appErrorOf(person.call((api) => api.auth.passkeys.registrationOptions()))).toBe("RATE_LIMITED");
    expect(await db().webAuthnChallenge.count({ where: { session: { userId: person.id } } })).toBe(20);
  });
});
