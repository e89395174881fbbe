// Sessions under attack, through the real router: a session token planted in a browser before
// log-in (session fixation) is never the one log-in issues and never opens the account; "log out
// other sessions" ends every other session at once, everywhere a token is read, and keeps this one.
import { describe, expect, it } from "vitest";
import { GET as getBackup } from "@/app/api/chat/backup/[kind]/route";
import { sessionCookieName } from "../../auth/session-cookie";
import { generateSessionToken, sessionIdFromToken } from "../../auth/session-token";
import { db } from "../../data/db";
import { createCaller } from "../../root";
import { TEST_PASSWORD, signedUpPerson, testBrowser, type TestBrowser } from "../../testing/test-browser";
import { createTRPCContext } from "../../trpc";

const tokenOf = (browser: TestBrowser) => browser.cookie.slice(`${sessionCookieName()}=`.length);

/** Who a raw token signs in as, presented on its own as an attacker holding it would. */
async function whoHolds(token: string): Promise<string | null> {
  const headers = new Headers({ cookie: `${sessionCookieName()}=${token}` });
  const me = await createCaller(await createTRPCContext({ headers, resHeaders: new Headers() })).auth.me();
  return me?.handle ?? null;
}

/** The status a route handler (not tRPC) gives the token: 401 when it is not a session. */
async function routeStatus(token: string): Promise<number> {
  const request = new Request("http://localhost:3000/api/chat/backup/passphrase", { headers: { cookie: `${sessionCookieName()}=${token}` } });
  return (await getBackup(request, { params: Promise.resolve({ kind: "passphrase" }) })).status;
}

/** A browser that sends `token` as its session cookie until the server sets another. */
function browserWithPlantedCookie(token: string): TestBrowser {
  const browser = testBrowser();
  browser.setHeader("cookie", `${sessionCookieName()}=${token}`);
  return browser;
}

describe("session fixation", () => {
  it("log-in issues a new token, never one the browser already presented, and the planted one opens nothing", async () => {
    const victim = await signedUpPerson();
    const planted = generateSessionToken();
    const browser = browserWithPlantedCookie(planted);
    await browser.call((api) => api.auth.logIn({ identifier: victim.email, password: TEST_PASSWORD }));

    expect(tokenOf(browser)).toMatch(/^[a-z2-7]{32}$/);
    expect(tokenOf(browser)).not.toBe(planted);
    expect(await whoHolds(tokenOf(browser))).toBe(victim.handle);
    expect(await whoHolds(planted)).toBeNull();
    expect(await db().session.count({ where: { id: sessionIdFromToken(planted) } })).toBe(0);
  });

  it("an attacker's own live session planted in the victim's browser is replaced at log-in and stays the attacker's", async () => {
    const attacker = await signedUpPerson();
    const victim = await signedUpPerson();
    const planted = tokenOf(attacker.browser);
    const browser = browserWithPlantedCookie(planted);
    expect(await browser.call((api) => api.auth.me())).toMatchObject({ handle: attacker.handle });

    await browser.call((api) => api.auth.logIn({ identifier: victim.email, password: TEST_PASSWORD }));
    expect(tokenOf(browser)).not.toBe(planted);
    expect(await browser.call((api) => api.auth.me())).toMatchObject({ handle: victim.handle });
    // What the attacker kept opens the attacker's account, never the victim's.
    expect(await whoHolds(planted)).toBe(attacker.handle);
    const victimSessions = await db().session.findMany({ where: { user: { handle: victim.handle } }, select: { id: true } });
    expect(victimSessions.map((s) => s.id)).not.toContain(sessionIdFromToken(planted));
  });

  it("sign-up issues a new token too", async () => {
    const planted = generateSessionToken();
    const browser = browserWithPlantedCookie(planted);
    const handle = `fix_${planted.slice(0, 8)}`;
    await browser.call((api) => api.auth.signUp({ handle, email: `${handle}@example.org`, password: TEST_PASSWORD }));
    expect(tokenOf(browser)).not.toBe(planted);
    expect(await whoHolds(tokenOf(browser))).toBe(handle);
    expect(await whoHolds(planted)).toBeNull();
  });
});

describe("log out other sessions", () => {
  it("refuses every other session's token at once, over tRPC and route handlers alike, and keeps this one", async () => {
    const alice = await signedUpPerson();
    const others = [testBrowser(), testBrowser(), testBrowser()];
    for (const b of others) await b.call((api) => api.auth.logIn({ identifier: alice.email, password: TEST_PASSWORD }));
    // A stolen copy of one of them, held elsewhere.
    const stolen = tokenOf(others[0]!);
    expect(await whoHolds(stolen)).toBe(alice.handle);
    expect(await routeStatus(stolen)).toBe(404);

    expect(await alice.call((api) => api.auth.sessions.revokeOthers())).toEqual({ revoked: 3 });

    for (const b of others) {
      expect(await b.call((api) => api.auth.me())).toBeNull();
      // The server also tells the browser to drop the dead cookie.
      expect(b.cookie).toBe("");
    }
    expect(await whoHolds(stolen)).toBeNull();
    expect(await routeStatus(stolen)).toBe(401);
    expect(await db().session.count({ where: { id: sessionIdFromToken(stolen) } })).toBe(0);

    expect(await alice.call((api) => api.auth.me())).toMatchObject({ handle: alice.handle });
    expect(await routeStatus(tokenOf(alice.browser))).toBe(404);
    expect(await alice.call((api) => api.auth.sessions.list())).toMatchObject([{ current: true }]);
  });

  it("touches no one else's sessions", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    expect(await alice.call((api) => api.auth.sessions.revokeOthers())).toEqual({ revoked: 0 });
    expect(await whoHolds(tokenOf(bob.browser))).toBe(bob.handle);
  });

  it("log-out ends this session only, as documented: the others stay signed in", async () => {
    const alice = await signedUpPerson();
    const other = testBrowser();
    await other.call((api) => api.auth.logIn({ identifier: alice.email, password: TEST_PASSWORD }));
    const mine = tokenOf(alice.browser);
    await alice.call((api) => api.auth.logOut());
    expect(await whoHolds(mine)).toBeNull();
    expect(await routeStatus(mine)).toBe(401);
    expect(await other.call((api) => api.auth.me())).toMatchObject({ handle: alice.handle });
  });
});
