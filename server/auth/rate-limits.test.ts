// Every rate limit under attack, through the real router or route handler: the last allowed call
// passes, the next is refused with RATE_LIMITED and the seconds to wait, and someone else (another
// account, another address) is not held back. Windows are filled up to one short of the limit
// directly, then the calls at the edge go through the procedure, so the test also proves that the
// procedure counts under the rule's key. Reports are not built yet.
import { randomBytes, randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { PUT as putBackup } from "@/app/api/chat/backup/[kind]/route";
import { POST as uploadMedia } from "@/app/api/media/upload/route";
import { POST as trpcEndpoint } from "@/app/api/trpc/[trpc]/route";
import { AppError } from "../errors";
import { TEST_PASSWORD, signedUpPerson, testBrowser } from "../testing/test-browser";
import { uniqueEmail, uniqueHandle, uniqueIp } from "../testing/unique";
import { CLIENT_IP_HEADER } from "./client-ip";
import { enforceRateLimit, rateLimitRules } from "./rate-limits";
import { browserPushSubscription, registerDevice } from "../api/chat/chat-testing";

type RuleName = keyof typeof rateLimitRules;
type Outcome = { limited: false } | { limited: true; retryAfterSeconds: number };

interface Attacker {
  /** What the rule counts this attacker under (an address, an account id, what was typed). */
  subject: string;
  /** One call of the limited kind; resolves { limited: false } when the limit let it through. */
  attempt(): Promise<Outcome>;
}

interface Attack {
  rule: RuleName;
  /** What the attack does, for the test's name. */
  does: string;
  /** A fresh attacker; called twice per test, the second being the bystander. */
  attacker(): Promise<Attacker>;
}

const ORIGIN = "http://localhost:3000";
const SAME_ORIGIN = { origin: ORIGIN, host: "localhost:3000" };
const b64 = (n: number) => randomBytes(n).toString("base64url");

/** A tRPC call's outcome; `expected` names refusals that mean the limit let the call through. */
async function viaRouter(call: Promise<unknown>, expected: string[] = []): Promise<Outcome> {
  try {
    await call;
    return { limited: false };
  } catch (error) {
    if (!(error instanceof TRPCError) || !(error.cause instanceof AppError)) throw error;
    if (expected.includes(error.cause.code)) return { limited: false };
    if (error.cause.code !== "RATE_LIMITED") throw error;
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    return { limited: true, retryAfterSeconds: error.cause.details.retryAfterSeconds ?? Number.NaN };
  }
}

/** A route handler's outcome: 429 must carry Retry-After; `expectedStatus` is what passing looks like. */
async function viaRoute(response: Response, expectedStatus: number): Promise<Outcome> {
  if (response.status === 429) {
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
    return { limited: true, retryAfterSeconds: Number(response.headers.get("retry-after")) };
  }
  expect(response.status, await response.clone().text()).toBe(expectedStatus);
  return { limited: false };
}

const attacks: Attack[] = [
  {
    rule: "signUpPerIp",
    does: "signs up from one address",
    async attacker() {
      const ip = uniqueIp();
      return {
        subject: ip,
        attempt: () => viaRouter(testBrowser(ip).call((api) => api.auth.signUp({ handle: uniqueHandle(), email: uniqueEmail(), password: TEST_PASSWORD }))),
      };
    },
  },
  {
    rule: "logInPerIp",
    does: "tries one log-in after another from one address",
    async attacker() {
      const ip = uniqueIp();
      return {
        subject: ip,
        attempt: () =>
          viaRouter(
            testBrowser(ip).call((api) => api.auth.logIn({ identifier: uniqueEmail(), password: TEST_PASSWORD })),
            ["INVALID_CREDENTIALS"],
          ),
      };
    },
  },
  {
    rule: "logInFailuresPerAccount",
    does: "guesses one account's password from ever new addresses",
    async attacker() {
      const { email } = await signedUpPerson();
      return {
        subject: email.toLowerCase(),
        attempt: () =>
          viaRouter(
            testBrowser().call((api) => api.auth.logIn({ identifier: email, password: "a wrong guess" })),
            ["INVALID_CREDENTIALS"],
          ),
      };
    },
  },
  {
    rule: "secondStepPerIp",
    does: "tries two-factor codes one after another from one address",
    async attacker() {
      const ip = uniqueIp();
      return {
        subject: ip,
        attempt: () =>
          viaRouter(
            testBrowser(ip).call((api) => api.auth.twoFactor.logIn({ pendingToken: "a".repeat(32), code: "123456" })),
            ["LOG_IN_EXPIRED"],
          ),
      };
    },
  },
  {
    rule: "codeFailuresPerAccount",
    does: "guesses one account's two-factor code",
    async attacker() {
      const person = await signedUpPerson();
      await person.call((api) => api.auth.twoFactor.begin());
      return {
        subject: person.id,
        attempt: () =>
          viaRouter(
            person.call((api) => api.auth.twoFactor.confirm({ code: "000000" })),
            ["CODE_INVALID"],
          ),
      };
    },
  },
  {
    rule: "confirmFailuresPerAccount",
    does: "guesses the password to remove a passkey from a session they took",
    async attacker() {
      const person = await signedUpPerson();
      return {
        subject: person.id,
        attempt: () =>
          viaRouter(
            person.call((api) => api.auth.passkeys.remove({ id: randomUUID(), proof: { password: "a wrong guess" } })),
            ["INVALID_CREDENTIALS"],
          ),
      };
    },
  },
  {
    rule: "securitySetupsPerAccount",
    does: "asks to add passkey after passkey",
    async attacker() {
      const person = await signedUpPerson();
      return { subject: person.id, attempt: () => viaRouter(person.call((api) => api.auth.passkeys.registrationOptions())) };
    },
  },
  {
    rule: "passwordResetsPerIp",
    does: "asks for reset link after reset link from one address",
    async attacker() {
      const ip = uniqueIp();
      return { subject: ip, attempt: () => viaRouter(testBrowser(ip).call((api) => api.auth.passwordReset.request({ email: uniqueEmail() }))) };
    },
  },
  {
    rule: "mailsPerAddress",
    does: "asks for reset links to one address from ever new addresses",
    async attacker() {
      const email = uniqueEmail();
      return { subject: email, attempt: () => viaRouter(testBrowser().call((api) => api.auth.passwordReset.request({ email }))) };
    },
  },
  {
    rule: "accountMailsPerAccount",
    does: "asks for verification mail after verification mail",
    async attacker() {
      const person = await signedUpPerson();
      return { subject: person.id, attempt: () => viaRouter(person.call((api) => api.auth.account.resendVerification())) };
    },
  },
  {
    rule: "accountLinksPerIp",
    does: "guesses mailed links from one address",
    async attacker() {
      const ip = uniqueIp();
      const guess = () => Array.from(randomBytes(32), (byte) => "abcdefghijklmnopqrstuvwxyz234567"[byte % 32]).join("");
      return {
        subject: ip,
        attempt: () =>
          viaRouter(
            testBrowser(ip).call((api) => api.auth.verifyEmail({ token: guess() })),
            ["LINK_INVALID"],
          ),
      };
    },
  },
  {
    rule: "passwordChecksPerAccount",
    does: "guesses the current password of a session it holds",
    async attacker() {
      const person = await signedUpPerson();
      return {
        subject: person.id,
        attempt: () =>
          viaRouter(
            person.call((api) =>
              api.auth.account.changePassword({ currentPassword: "a wrong guess", newPassword: "a password of my own", endOtherSessions: true }),
            ),
            ["INVALID_CREDENTIALS"],
          ),
      };
    },
  },
  {
    rule: "mediaUploadsPerAccount",
    does: "uploads image after image",
    async attacker() {
      const person = await signedUpPerson();
      // An empty form: refused as MEDIA_INVALID after the upload has been counted, and stores nothing.
      const upload = () =>
        uploadMedia(
          new Request(`${ORIGIN}/api/media/upload`, { method: "POST", body: new FormData(), headers: { ...SAME_ORIGIN, cookie: person.browser.cookie } }),
        );
      return { subject: person.id, attempt: async () => viaRoute(await upload(), 400) };
    },
  },
  {
    rule: "messagesPerAccount",
    does: "sends message after message",
    async attacker() {
      const [sender, recipient] = await Promise.all([signedUpPerson(), signedUpPerson()]);
      const device = await registerDevice(recipient);
      return {
        subject: sender.id,
        attempt: () =>
          viaRouter(
            sender.call((api) => api.chat.envelopes.send({ clientMessageId: randomUUID(), envelopes: [{ deviceRowId: device.rowId, payload: b64(306) }] })),
          ),
      };
    },
  },
  {
    rule: "messagesPerAccount",
    does: "claims prekey bundle after prekey bundle",
    async attacker() {
      const [claimer, owner] = await Promise.all([signedUpPerson(), signedUpPerson()]);
      await registerDevice(owner);
      return { subject: `bundles:${claimer.id}`, attempt: () => viaRouter(claimer.call((api) => api.chat.bundles.forUser({ userId: owner.id }))) };
    },
  },
  {
    rule: "envelopesPerAccount",
    does: "sends envelope after envelope",
    async attacker() {
      const [sender, recipient] = await Promise.all([signedUpPerson(), signedUpPerson()]);
      const device = await registerDevice(recipient);
      return {
        subject: sender.id,
        attempt: () =>
          viaRouter(
            sender.call((api) => api.chat.envelopes.send({ clientMessageId: randomUUID(), envelopes: [{ deviceRowId: device.rowId, payload: b64(306) }] })),
          ),
      };
    },
  },
  {
    rule: "attachmentsPerAccount",
    does: "begins upload after upload",
    async attacker() {
      const [sender, recipient] = await Promise.all([signedUpPerson(), signedUpPerson()]);
      const device = await registerDevice(recipient);
      return {
        subject: sender.id,
        attempt: () => viaRouter(sender.call((api) => api.chat.attachments.create({ size: 1, recipientDeviceRowIds: [device.rowId] }))),
      };
    },
  },
  {
    rule: "deviceLinksPerAccount",
    does: "opens device-link slot after slot",
    async attacker() {
      const person = await signedUpPerson();
      return { subject: person.id, attempt: () => viaRouter(person.call((api) => api.chat.link.open({ lookupId: b64(16) }))) };
    },
  },
  {
    rule: "chatSuggestionsPerAccount",
    does: 'asks for "new message" suggestions without pause',
    async attacker() {
      const person = await signedUpPerson();
      return { subject: person.id, attempt: () => viaRouter(person.call((api) => api.chat.directory.suggest({ query: "a" }))) };
    },
  },
  {
    rule: "chatBackupsPerAccount",
    does: "stores backup after backup",
    async attacker() {
      const person = await signedUpPerson();
      let version = 0;
      const put = () =>
        putBackup(
          new Request(`${ORIGIN}/api/chat/backup/passphrase`, {
            method: "PUT",
            body: new Uint8Array([1]),
            headers: { ...SAME_ORIGIN, cookie: person.browser.cookie, "x-backup-version": String(++version), "content-length": "1" },
          }),
          { params: Promise.resolve({ kind: "passphrase" }) },
        );
      return { subject: person.id, attempt: async () => viaRoute(await put(), 204) };
    },
  },
  {
    rule: "postsPerAccount",
    does: "posts post after post",
    async attacker() {
      const person = await signedUpPerson();
      return { subject: person.id, attempt: () => viaRouter(person.call((api) => api.social.posts.create({ text: "buy now" }))) };
    },
  },
  {
    rule: "followsPerAccount",
    does: "follows someone over and over",
    async attacker() {
      const [follower, target] = await Promise.all([signedUpPerson(), signedUpPerson()]);
      return {
        subject: follower.id,
        attempt: async () => {
          const outcome = await viaRouter(follower.call((api) => api.social.people.follow({ userId: target.id })));
          // Unfollowing is free, so the next attempt is a new follow that notifies the target again.
          await follower.call((api) => api.social.people.unfollow({ userId: target.id }));
          return outcome;
        },
      };
    },
  },
  {
    rule: "reportsPerAccount",
    does: "reports profile after profile",
    async attacker() {
      const [person, target] = await Promise.all([signedUpPerson(), signedUpPerson()]);
      return { subject: person.id, attempt: () => viaRouter(person.call((api) => api.social.people.report({ handle: target.handle, reason: "spam" }))) };
    },
  },
  {
    rule: "pushSubscriptionsPerAccount",
    does: "subscribes a device to push again and again (each time a request to a push service later)",
    async attacker() {
      const person = await signedUpPerson();
      const device = await registerDevice(person);
      const subscribe = () => person.call((api) => api.chat.push.subscribe({ deviceRowId: device.rowId, ...browserPushSubscription(), locale: "en" }));
      return { subject: person.id, attempt: () => viaRouter(subscribe()) };
    },
  },
  {
    rule: "callsPerAccount",
    does: "asks for call token after call token",
    async attacker() {
      const person = await signedUpPerson();
      const join = () => person.call((api) => api.calls.join({ room: randomBytes(16).toString("hex"), kind: "video", maxParticipants: 2 }));
      // Counted before anything else: without a LiveKit server here, a counted join is NOT_CONFIGURED.
      return { subject: person.id, attempt: () => viaRouter(join(), ["NOT_CONFIGURED"]) };
    },
  },
];

/** Counts `hits` against the subject at once, as that many earlier calls would have (one hit of that cost). */
async function fill(rule: RuleName, subject: string, hits: number): Promise<void> {
  if (hits > 0) await enforceRateLimit(rateLimitRules[rule], subject, undefined, hits);
}

describe("every rate limit", () => {
  it("has an attack below", () => {
    expect(new Set(attacks.map((a) => a.rule))).toEqual(new Set(Object.keys(rateLimitRules)));
  });

  for (const { rule, does, attacker } of attacks) {
    const { max, windowSeconds } = rateLimitRules[rule];
    it(`${rule}: someone who ${does} is refused after ${max} with the time to wait; someone else is not`, async () => {
      const [mallory, bystander] = await Promise.all([attacker(), attacker()]);
      await fill(rule, mallory.subject, max - 1);
      expect(await mallory.attempt(), `call ${max}`).toEqual({ limited: false });
      const refused = await mallory.attempt();
      expect(refused.limited, `call ${max + 1}`).toBe(true);
      // A window is stored as starting at the next multiple of its length: it lasts one to two.
      const retryAfter = refused.limited ? refused.retryAfterSeconds : 0;
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(2 * windowSeconds);
      expect(await mallory.attempt(), "still refused").toMatchObject({ limited: true });
      expect(await bystander.attempt(), "someone else").toEqual({ limited: false });
    });
  }
});

describe("the posting limit", () => {
  it("counts replies, quotes, edits and stories as posts, and not likes, reposts or bookmarks", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const bobs = await bob.call((api) => api.social.posts.create({ text: "something to answer" }));
    await fill("postsPerAccount", alice.id, rateLimitRules.postsPerAccount.max - 4);
    const reply = await alice.call((api) => api.social.posts.create({ text: "a reply", replyToId: bobs.id }));
    await alice.call((api) => api.social.posts.create({ text: "a quote", quoteOfId: bobs.id }));
    await alice.call((api) => api.social.posts.edit({ id: reply.id, text: "a reply, edited" }));
    await alice.call((api) => api.social.stories.create({ text: "a story" }));
    for (const call of [
      () => alice.call((api) => api.social.posts.create({ text: "one more" })),
      () => alice.call((api) => api.social.posts.create({ text: "one more reply", replyToId: bobs.id })),
      () => alice.call((api) => api.social.posts.edit({ id: reply.id, text: "edited again" })),
      () => alice.call((api) => api.social.stories.create({ text: "another story" })),
    ]) {
      expect(await viaRouter(call())).toMatchObject({ limited: true });
    }
    await alice.call((api) => api.social.posts.setLike({ id: bobs.id, liked: true }));
    await alice.call((api) => api.social.posts.setRepost({ id: bobs.id, reposted: true }));
    await alice.call((api) => api.social.posts.setBookmark({ id: bobs.id, bookmarked: true }));
  });
});

describe("the tRPC endpoint", () => {
  it("answers a refused limit with 429 and a Retry-After header, as the route handlers do", async () => {
    const ip = uniqueIp();
    await fill("signUpPerIp", ip, rateLimitRules.signUpPerIp.max);
    const body = JSON.stringify({ handle: uniqueHandle(), email: uniqueEmail(), password: TEST_PASSWORD });
    const headers = { ...SAME_ORIGIN, "content-type": "application/json", [CLIENT_IP_HEADER]: ip };
    const response = await trpcEndpoint(new Request(`${ORIGIN}/api/trpc/auth.signUp`, { method: "POST", body, headers }));
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    const json = (await response.json()) as { error: { data: { appCode: string; retryAfterSeconds: number } } };
    expect(json.error.data).toMatchObject({ appCode: "RATE_LIMITED", retryAfterSeconds: retryAfter });

    const allowed = await trpcEndpoint(
      new Request(`${ORIGIN}/api/trpc/auth.signUp`, { method: "POST", body, headers: { ...headers, [CLIENT_IP_HEADER]: uniqueIp() } }),
    );
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("retry-after")).toBeNull();
  });
});
