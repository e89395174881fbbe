// Two-factor authentication through the real router: enrolment confirmed by a first code, the
// password log-in's second step (a TOTP code or a recovery code, each once; a pending token that
// expires, dies after five wrong codes and works once), the rate limits, and turning it off.
import { generateHOTP } from "@oslojs/otp";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../data/db";
import { signedUpPerson, testBrowser, TEST_PASSWORD, type TestBrowser, type TestPerson } from "../testing/test-browser";
import { sessionIdFromToken } from "./session-token";
import { totpStepAt } from "./totp";

beforeAll(() => {
  process.env.HEARTH_TEST_CLOCK = "1";
});

const T0 = new Date("2026-12-05T12:00:10Z");
const later = (ms: number) => new Date(T0.getTime() + ms);

/** Sets the time every later call of the browser acts at. */
const setClock = (browser: TestBrowser, now: Date) => browser.setHeader("x-hearth-test-now", now.toISOString());

async function appErrorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return (error.cause as { code?: string } | undefined)?.code ?? error.code;
    throw error;
  }
  throw new Error("the call succeeded");
}

interface Enrolled {
  person: TestPerson;
  key: Uint8Array;
  recoveryCodes: string[];
  codeAt: (now: Date) => string;
}

async function enrolledPerson(): Promise<Enrolled> {
  const person = await signedUpPerson();
  setClock(person.browser, T0);
  const { secret, uri } = await person.call((api) => api.auth.twoFactor.begin());
  expect(uri).toContain(`secret=${secret.replace(/ /g, "")}`);
  const key = decodeBase32IgnorePadding(secret.replace(/ /g, ""));
  const codeAt = (now: Date) => generateHOTP(key, totpStepAt(now), 6);
  expect(await person.call((api) => api.auth.twoFactor.status())).toMatchObject({ enabled: false });
  const { recoveryCodes } = await person.call((api) => api.auth.twoFactor.confirm({ code: codeAt(T0) }));
  return { person, key, recoveryCodes, codeAt };
}

/** A new browser that gave the right password; returns it and the pending token. */
async function passwordStep(person: TestPerson, now: Date) {
  const browser = testBrowser();
  setClock(browser, now);
  const result = await browser.call((api) => api.auth.logIn({ identifier: person.email, password: TEST_PASSWORD }));
  if (result.ok) throw new Error("logged in without a second factor");
  return { browser, pendingToken: result.pendingToken };
}

describe("enrolment", () => {
  it("stays off until a right first code, then gives ten distinct recovery codes once and logs it", async () => {
    const person = await signedUpPerson();
    setClock(person.browser, T0);
    await person.call((api) => api.auth.twoFactor.begin());
    expect(await appErrorOf(person.call((api) => api.auth.twoFactor.confirm({ code: "000000" })))).toBe("CODE_INVALID");
    expect(await person.call((api) => api.auth.twoFactor.status())).toMatchObject({ enabled: false });

    const { person: enrolled, recoveryCodes } = await enrolledPerson();
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect(await enrolled.call((api) => api.auth.twoFactor.status())).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    expect(await appErrorOf(enrolled.call((api) => api.auth.twoFactor.begin()))).toBe("TWO_FACTOR_STATE");
    const log = await enrolled.call((api) => api.privacy.accessLog({ filter: "security" }));
    expect(log.entries.map((e) => e.action)).toEqual(["two_factor_enabled"]);
  });

  it("keeps the key sealed and the recovery codes hashed: neither is in the database as given", async () => {
    const { person, key, recoveryCodes } = await enrolledPerson();
    const row = await db().twoFactor.findUniqueOrThrow({ where: { userId: person.id } });
    expect(Buffer.from(row.sealedSecret).includes(Buffer.from(key))).toBe(false);
    const stored = JSON.stringify(await db().recoveryCode.findMany({ where: { userId: person.id } }));
    for (const code of recoveryCodes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace("-", ""));
    }
  });
});

describe("log-in with two-factor on", () => {
  it("starts no session on the password alone, then one on a current code; the same code is refused a second time", async () => {
    const { person, codeAt } = await enrolledPerson();
    const { browser, pendingToken } = await passwordStep(person, later(60_000));
    expect(browser.cookie).toBe("");
    expect(await browser.call((api) => api.auth.me())).toBeNull();

    const code = codeAt(later(60_000));
    await browser.call((api) => api.auth.twoFactor.logIn({ pendingToken, code }));
    expect((await browser.call((api) => api.auth.me()))?.userId).toBe(person.id);

    const again = await passwordStep(person, later(65_000));
    expect(await appErrorOf(again.browser.call((api) => api.auth.twoFactor.logIn({ pendingToken: again.pendingToken, code })))).toBe("CODE_INVALID");
    expect(again.browser.cookie).toBe("");
  });

  it("accepts the previous and the next step's code, not two steps away", async () => {
    const { person, codeAt } = await enrolledPerson();
    const now = later(10 * 60_000);
    const tryCode = async (code: string) => {
      const { browser, pendingToken } = await passwordStep(person, now);
      return browser
        .call((api) => api.auth.twoFactor.logIn({ pendingToken, code }))
        .then(
          () => "ok",
          (error: TRPCError) => (error.cause as unknown as { code: string }).code,
        );
    };
    expect(await tryCode(codeAt(later(10 * 60_000 - 60_000)))).toBe("CODE_INVALID");
    expect(await tryCode(codeAt(later(10 * 60_000 - 30_000)))).toBe("ok");
    expect(await tryCode(codeAt(later(10 * 60_000 + 30_000)))).toBe("ok");
    // The next step's code was used, so the current one (an earlier step) is refused now.
    expect(await tryCode(codeAt(now))).toBe("CODE_INVALID");
  });

  it("takes a recovery code once, in any case and with or without its dash", async () => {
    const { person, recoveryCodes } = await enrolledPerson();
    const [first = "", second = ""] = recoveryCodes;
    const one = await passwordStep(person, later(60_000));
    await one.browser.call((api) => api.auth.twoFactor.logIn({ pendingToken: one.pendingToken, code: first.toUpperCase() }));
    expect(await one.browser.call((api) => api.auth.me())).not.toBeNull();

    const two = await passwordStep(person, later(60_000));
    expect(await appErrorOf(two.browser.call((api) => api.auth.twoFactor.logIn({ pendingToken: two.pendingToken, code: first })))).toBe("CODE_INVALID");
    const result = await two.browser.call((api) => api.auth.twoFactor.logIn({ pendingToken: two.pendingToken, code: second.replace("-", "") }));
    expect(result.usedRecoveryCode).toBe(true);
    expect(await person.call((api) => api.auth.twoFactor.status())).toMatchObject({ recoveryCodesLeft: 8 });
  });

  it("uses a pending log-in once, for five minutes, and keeps only its hash", async () => {
    const { person, codeAt } = await enrolledPerson();
    const { browser, pendingToken } = await passwordStep(person, later(60_000));
    expect(await db().pendingLogIn.count({ where: { id: pendingToken } })).toBe(0);
    expect(await db().pendingLogIn.count({ where: { id: sessionIdFromToken(pendingToken) } })).toBe(1);
    await browser.call((api) => api.auth.twoFactor.logIn({ pendingToken, code: codeAt(later(60_000)) }));
    const reuse = testBrowser();
    setClock(reuse, later(90_000));
    expect(await appErrorOf(reuse.call((api) => api.auth.twoFactor.logIn({ pendingToken, code: codeAt(later(90_000)) })))).toBe("LOG_IN_EXPIRED");

    const late = await passwordStep(person, later(2 * 60_000));
    setClock(late.browser, later(2 * 60_000 + 5 * 60_000 + 1));
    const code = codeAt(later(2 * 60_000 + 5 * 60_000 + 1));
    expect(await appErrorOf(late.browser.call((api) => api.auth.twoFactor.logIn({ pendingToken: late.pendingToken, code })))).toBe("LOG_IN_EXPIRED");
    expect(await appErrorOf(late.browser.call((api) => api.auth.twoFactor.logIn({ pendingToken: "not a token", code })))).toBe("LOG_IN_EXPIRED");
  });

  it("counts wrong codes against the account: the sixth try in 15 minutes is refused even with the right code", async () => {
    const { person, codeAt } = await enrolledPerson();
    const now = later(20 * 60_000);
    for (let i = 0; i < 5; i++) {
      const { browser, pendingToken } = await passwordStep(person, now);
      expect(await appErrorOf(browser.call((api) => api.auth.twoFactor.logIn({ pendingToken, code: String(100000 + i) })))).toBe("CODE_INVALID");
    }
    const { browser, pendingToken } = await passwordStep(person, now);
    expect(await appErrorOf(browser.call((api) => api.auth.twoFactor.logIn({ pendingToken, code: codeAt(now) })))).toBe("RATE_LIMITED");
    expect(browser.cookie).toBe("");
  });

  it("counts every second-step try per address", async () => {
    const ip = "203.0.113.77";
    const browser = testBrowser(ip);
    const outcomes: string[] = [];
    for (let i = 0; i < 31; i++)
      outcomes.push(await appErrorOf(browser.call((api) => api.auth.twoFactor.logIn({ pendingToken: "a".repeat(32), code: "123456" }))));
    expect(outcomes.slice(0, 30).every((o) => o === "LOG_IN_EXPIRED")).toBe(true);
    expect(outcomes[30]).toBe("RATE_LIMITED");
  });
});

describe("turning it off and new recovery codes", () => {
  it("needs the password or a current code; a wrong one changes nothing", async () => {
    const { person, codeAt, recoveryCodes } = await enrolledPerson();
    setClock(person.browser, later(60_000));
    expect(await appErrorOf(person.call((api) => api.auth.twoFactor.disable({ proof: { password: "not my password" } })))).toBe("INVALID_CREDENTIALS");
    expect(await appErrorOf(person.call((api) => api.auth.twoFactor.regenerateRecoveryCodes({ proof: { code: "000000" } })))).toBe("CODE_INVALID");
    expect(await person.call((api) => api.auth.twoFactor.status())).toMatchObject({ enabled: true });

    const { recoveryCodes: fresh } = await person.call((api) => api.auth.twoFactor.regenerateRecoveryCodes({ proof: { code: codeAt(later(60_000)) } }));
    expect(fresh).toHaveLength(10);
    const { browser, pendingToken } = await passwordStep(person, later(90_000));
    expect(await appErrorOf(browser.call((api) => api.auth.twoFactor.logIn({ pendingToken, code: recoveryCodes[0]! })))).toBe("CODE_INVALID");

    await person.call((api) => api.auth.twoFactor.disable({ proof: { password: TEST_PASSWORD } }));
    expect(await person.call((api) => api.auth.twoFactor.status())).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    expect(await db().recoveryCode.count({ where: { userId: person.id } })).toBe(0);
    const plain = testBrowser();
    expect(await plain.call((api) => api.auth.logIn({ identifier: person.email, password: TEST_PASSWORD }))).toMatchObject({ ok: true });
    const log = await person.call((api) => api.privacy.accessLog({ filter: "security" }));
    expect(log.entries.map((e) => e.action)).toEqual(["two_factor_disabled", "recovery_codes_regenerated", "two_factor_enabled"]);
  });
});
