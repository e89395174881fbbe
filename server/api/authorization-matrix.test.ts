// The authorization matrix (issue 16): every tRPC procedure of the root router and every route
// handler under app/api is called by each role (nobody signed in, a signed-in stranger, a person
// the owner blocked, a removed group member once groups exist, and the owner) about the owner's
// resources, and each outcome is the table's. The procedures come from appRouter and the routes
// from the filesystem, so a new one without an entry fails here. For every role but the owner, a
// call may not return anything of the owner's that is private (`World.secrets`), and may not change
// the owner's rows (a fingerprint of every row that refers to the owner, found through the
// database's foreign keys), unless the entry says why it may.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash, randomUUID } from "node:crypto";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { TRPCError, type AnyProcedure, type inferProcedureInput } from "@trpc/server";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER } from "../auth/client-ip";
import type { TAuthenticationResponse, TRegistrationResponse } from "./auth/factor-schemas";
import { totpCodeAt } from "../auth/totp";
import { confirmTwoFactorEnrolment } from "../auth/two-factor";
import { envelopeBus } from "../data/realtime/notify-bus";
import { exportStorage } from "../media/media-storage";
import { exportKeyOf } from "../privacy/export-files";
import { type AppRouter, appRouter, createCaller } from "../root";
import { softwareAuthenticator } from "../testing/software-authenticator";
import { signedUpPerson, TEST_PASSWORD, testBrowser, type Api, type TestBrowser, type TestPerson } from "../testing/test-browser";
import { uniqueEmail, uniqueHandle, uniqueIp } from "../testing/unique";
import { createTRPCContext } from "../trpc";
import { browserPushSubscription, connectTestDatabase, randomBytes } from "./chat/chat-testing";

// ---------------------------------------------------------------------------------------------
// Roles and outcomes

const ROLES = ["anonymous", "stranger", "blocked", "removedMember", "owner"] as const;
type Role = (typeof ROLES)[number];

/** A cell that cannot be played yet, and why. */
interface NotApplicable {
  notApplicable: string;
}
/**
 * The server holds no group state (membership lives on the members' devices, docs/e2ee-protocol.md
 * "Groups"): to it, a removed member is a stranger, which the stranger column plays. Removal is
 * enforced on devices (new sender keys, refused changes): app/_chat/engine/groups/groups.test.ts.
 */
const NO_GROUPS: NotApplicable = { notApplicable: "the server knows no group membership: a removed member is a stranger to it" };

type ProcedureOutcome = "ok" | TRPCError["code"] | NotApplicable;
type RouteOutcome = number | NotApplicable;

// ---------------------------------------------------------------------------------------------
// Procedure paths and inputs, derived from the router's type

type RouterRecordOf<T> = T extends { _def: { record: infer R } } ? R : never;
type PathsOf<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends AnyProcedure ? `${Prefix}${K}` : PathsOf<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
type ProcedureAt<T, P extends string> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? ProcedureAt<T[Head], Rest>
    : never
  : P extends keyof T
    ? T[P]
    : never;

type AppRecord = RouterRecordOf<AppRouter>;
type ProcedurePath = PathsOf<AppRecord>;
type InputOf<P extends ProcedurePath> = ProcedureAt<AppRecord, P> extends infer Proc extends AnyProcedure ? inferProcedureInput<Proc> : never;

/**
 * Who plays the signed-in roles of an entry. "world": the world's people. "new-others": a new
 * stranger and a new person the owner blocks, for calls that would change how the world's people
 * stand to the owner (follow, block, mute). "new-all": the owner's cell too is a new person, acting
 * on their own account, for calls that end a session or an account.
 */
type Players = "world" | "new-others" | "new-all";

type ProcedureEntry<P extends ProcedurePath> = {
  expect: Record<Role, ProcedureOutcome>;
  players?: Players;
  /** Why a call by someone else may change the owner's rows (they may, for this entry, in "ok" cells). */
  othersMayChange?: string;
} & (undefined extends InputOf<P>
  ? { input?: (w: World, role: Role) => InputOf<P> }
  : {
      /** The call's input, about the owner's resources; the same for every role unless it says why not. */
      input: (w: World, role: Role) => InputOf<P>;
    });

interface RouteEntry {
  request: (w: World, player: Player) => { url: string; init?: RequestInit; params?: Record<string, string> };
  expect: Record<Role, RouteOutcome>;
  players?: Players;
}

// ---------------------------------------------------------------------------------------------
// The world: an owner with a protected account and something of every kind, a stranger, a person
// the owner blocked, and a person with a pending follow request who also writes to the owner.

interface World {
  owner: TestPerson;
  stranger: TestPerson;
  blocked: TestPerson;
  requester: TestPerson;
  /** The owner's protected post, with an image and a hashtag. */
  post: string;
  postSecretWord: string;
  hashtag: string;
  postToEdit: string;
  postToDelete: string;
  /** The image of `post`. */
  media: string;
  /** Unused uploads of the owner's, one per entry that tries to use somebody's image. */
  mediaForProfile: string;
  mediaForStory: string;
  story: string;
  device: string;
  deviceToRevoke: string;
  envelopeToAck: string;
  /** A complete attachment the requester sent to the owner's device (and to a device of the requester's, which never fetches it). */
  attachment: string;
  /** The owner's own upload, begun and not yet complete. */
  ownerUpload: string;
  /** Device-link slots of the owner's: open; with a request; to close. */
  slotOpen: string;
  slotRequested: string;
  slotToClose: string;
  /** Another session of the owner's, for revoking. */
  sessionToRevoke: string;
  exportId: string;
  /** The owner's passkeys: to rename, to remove. */
  passkey: string;
  passkeyToRemove: string;
  /** The owner's authenticator's answers: to a registration challenge of the owner's session, to a fresh log-in challenge, to a used one. */
  passkeyRegistration: TRegistrationResponse;
  passkeyLogIn: TAuthenticationResponse;
  passkeyLogInReplayed: TAuthenticationResponse;
  /** The owner's TOTP key (two-factor is on) and a password log-in of theirs waiting for its second step. */
  totpKey: Uint8Array;
  pendingLogIn: string;
  /** What must never reach anyone but the owner. */
  secrets: string[];
}

interface Player {
  role: Role;
  browser: TestBrowser;
  person: TestPerson | null;
}

const ORIGIN = "http://localhost:3000";
const SAME_ORIGIN = { origin: ORIGIN, host: "localhost:3000" };

/** A sealed envelope padded to the smallest bucket. */
const envelopeBytes = () => randomBytes(306);
const kyberKey = (keyId: number) => ({ keyId, publicKey: randomBytes(1185), signature: randomBytes(64) });
const signedPreKey = (keyId: number) => ({ keyId, publicKey: randomBytes(33), signature: randomBytes(64) });

// ---------------------------------------------------------------------------------------------
// The matrix of procedures

const UNAUTHORIZED = "UNAUTHORIZED" as const;

const procedures: { [P in ProcedurePath]: ProcedureEntry<P> } = {
  // Public on purpose: anyone may ask who they are; a visitor is told null.
  "auth.me": { expect: { anonymous: "ok", stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  // Public on purpose (that is how accounts begin); nobody, the owner included, can take a handle in use.
  "auth.signUp": {
    input: (w) => ({ handle: w.owner.handle, email: uniqueEmail(), password: TEST_PASSWORD }),
    expect: { anonymous: "CONFLICT", stranger: "CONFLICT", blocked: "CONFLICT", removedMember: NO_GROUPS, owner: "CONFLICT" },
  },
  // Public on purpose. Others guess a password; only the owner's cell knows it.
  "auth.logIn": {
    input: (w, role) => ({ identifier: w.owner.email, password: role === "owner" ? TEST_PASSWORD : "a guess at the owner's password" }),
    expect: { anonymous: UNAUTHORIZED, stranger: UNAUTHORIZED, blocked: UNAUTHORIZED, removedMember: NO_GROUPS, owner: "ok" },
  },
  "auth.logOut": {
    players: "new-all",
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  // Public on purpose: a visitor's language is a cookie; a signed-in person's is their own preference.
  "auth.setLocale": {
    input: () => ({ locale: "de" }),
    expect: { anonymous: "ok", stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "auth.sessions.list": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  "auth.passkeys.list": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  // Each caller gets a challenge bound to their own session.
  "auth.passkeys.registrationOptions": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  // The owner's authenticator's answer to a challenge of the owner's session: useless from any other session.
  "auth.passkeys.register": {
    input: (w) => ({ response: w.passkeyRegistration, name: "Another laptop" }),
    expect: { anonymous: UNAUTHORIZED, stranger: "BAD_REQUEST", blocked: "BAD_REQUEST", removedMember: NO_GROUPS, owner: "ok" },
  },
  "auth.passkeys.rename": {
    input: (w) => ({ id: w.passkey, name: "Renamed" }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  // Everyone gives their own (right) password: it confirms only changes to their own passkeys.
  "auth.passkeys.remove": {
    input: (w) => ({ id: w.passkeyToRemove, proof: { password: TEST_PASSWORD } }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  // Public on purpose: the first step of a passkey log-in names no account.
  "auth.passkeys.logInOptions": { expect: { anonymous: "ok", stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  // Public on purpose. Others replay the owner's answer to a challenge that is used up; only the owner's cell holds a fresh one.
  // The owner's cell is played in another browser (the owner's authenticator used elsewhere), so that the world owner's
  // session, to which the registration challenge is bound, stays the one their browser holds.
  "auth.passkeys.logIn": {
    players: "new-all",
    input: (w, role) => ({ response: role === "owner" ? w.passkeyLogIn : w.passkeyLogInReplayed }),
    expect: { anonymous: "BAD_REQUEST", stranger: "BAD_REQUEST", blocked: "BAD_REQUEST", removedMember: NO_GROUPS, owner: "ok" },
  },
  // Two-factor procedures act on the caller's own account only. The owner has two-factor on.
  "auth.twoFactor.status": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  "auth.twoFactor.begin": {
    players: "new-others",
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "CONFLICT" },
  },
  // Nobody here has an enrolment waiting (the owner's is done); the whole flow is in server/auth/two-factor.test.ts.
  "auth.twoFactor.confirm": {
    players: "new-others",
    input: () => ({ code: "123456" }),
    expect: { anonymous: UNAUTHORIZED, stranger: "CONFLICT", blocked: "CONFLICT", removedMember: NO_GROUPS, owner: "CONFLICT" },
  },
  "auth.twoFactor.regenerateRecoveryCodes": {
    input: () => ({ proof: { password: TEST_PASSWORD } }),
    expect: { anonymous: UNAUTHORIZED, stranger: "CONFLICT", blocked: "CONFLICT", removedMember: NO_GROUPS, owner: "ok" },
  },
  // A new owner, so that turning two-factor off leaves the world's owner as the other entries expect.
  "auth.twoFactor.disable": {
    players: "new-all",
    input: () => ({ proof: { password: TEST_PASSWORD } }),
    expect: { anonymous: UNAUTHORIZED, stranger: "CONFLICT", blocked: "CONFLICT", removedMember: NO_GROUPS, owner: "CONFLICT" },
  },
  // Public on purpose (the second step of a log-in). Only the owner's browser holds the pending token
  // (a secret like a session cookie); others try one of their own making.
  "auth.twoFactor.logIn": {
    input: (w, role) =>
      role === "owner" ? { pendingToken: w.pendingLogIn, code: totpCodeAt(w.totpKey, new Date()) } : { pendingToken: "a".repeat(32), code: "123456" },
    expect: { anonymous: UNAUTHORIZED, stranger: UNAUTHORIZED, blocked: UNAUTHORIZED, removedMember: NO_GROUPS, owner: "ok" },
  },
  "auth.sessions.revoke": {
    input: (w) => ({ id: w.sessionToRevoke }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  "auth.sessions.revokeOthers": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  // Public on purpose: the mailed token is the proof. A token nobody was sent is refused for anyone.
  "auth.verifyEmail": {
    input: () => ({ token: "a".repeat(32) }),
    expect: { anonymous: "BAD_REQUEST", stranger: "BAD_REQUEST", blocked: "BAD_REQUEST", removedMember: NO_GROUPS, owner: "BAD_REQUEST" },
  },
  // Public on purpose, and the same answer for everyone: a link would go to the owner's own
  // (verified) mailbox, never to the caller. The world's address is not verified, so none goes.
  "auth.passwordReset.request": {
    input: (w) => ({ email: w.owner.email }),
    expect: { anonymous: "ok", stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "auth.passwordReset.complete": {
    input: () => ({ token: "a".repeat(32), newPassword: "a new passphrase for the owner" }),
    expect: { anonymous: "BAD_REQUEST", stranger: "BAD_REQUEST", blocked: "BAD_REQUEST", removedMember: NO_GROUPS, owner: "BAD_REQUEST" },
  },
  // Each signed-in caller reads and changes only their own address and password.
  "auth.account.get": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  "auth.account.resendVerification": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  "auth.account.changeEmail": {
    players: "new-all",
    input: () => ({ newEmail: uniqueEmail(), currentPassword: TEST_PASSWORD }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "auth.account.cancelEmailChange": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  "auth.account.changePassword": {
    players: "new-all",
    input: () => ({ currentPassword: TEST_PASSWORD, newPassword: "a new passphrase of their own", endOtherSessions: true }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },

  "social.posts.create": {
    input: (w) => ({ text: "a reply", replyToId: w.post }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.posts.get": {
    input: (w) => ({ id: w.post }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.posts.edit": {
    input: (w) => ({ id: w.postToEdit, text: "edited by whoever could" }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.posts.edits": {
    input: (w) => ({ id: w.post }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.posts.delete": {
    input: (w) => ({ id: w.postToDelete }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  // Only what one can see can be reported (the owner's post is protected), and nobody reports their own.
  "social.posts.report": {
    input: (w) => ({ id: w.post, reason: "spam" }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "FORBIDDEN" },
  },
  "social.people.report": {
    othersMayChange: "a report about the owner's profile lands in front of the operators",
    input: (w) => ({ handle: w.owner.handle, reason: "harassment", note: "on their profile" }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "FORBIDDEN" },
  },
  "social.posts.setLike": {
    input: (w) => ({ id: w.post, liked: true }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.posts.setRepost": {
    input: (w) => ({ id: w.post, reposted: true }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.posts.setBookmark": {
    input: (w) => ({ id: w.post, bookmarked: true }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },

  "social.timeline.home": {
    input: () => ({}),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.timeline.countNew": {
    input: () => ({ since: new Date(Date.now() - 3_600_000) }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  // A protected account's timeline is empty to non-followers (the secrets check makes sure).
  "social.timeline.profile": {
    input: (w) => ({ handle: w.owner.handle }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.timeline.hashtag": {
    input: (w) => ({ tag: w.hashtag }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.timeline.bookmarks": {
    input: () => ({}),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.timeline.thread": {
    input: (w) => ({ id: w.post }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },

  // A protected profile's header is visible to signed-in people; not to those it blocked.
  "social.people.profile": {
    input: (w) => ({ handle: w.owner.handle }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  // Answers null to anyone who may not see it.
  "social.people.lastActive": {
    input: (w) => ({ userId: w.owner.id }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.people.suggestions": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  // One's own profile only; another's unused upload cannot become one's avatar.
  "social.people.updateProfile": {
    input: (w) => ({ avatarMediaId: w.mediaForProfile }),
    expect: { anonymous: UNAUTHORIZED, stranger: "FORBIDDEN", blocked: "FORBIDDEN", removedMember: NO_GROUPS, owner: "ok" },
  },
  // Oneself: FORBIDDEN, for following, blocking and muting alike.
  "social.people.follow": {
    players: "new-others",
    othersMayChange: "a follow request to the owner is the requester's to make",
    input: (w) => ({ userId: w.owner.id }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "FORBIDDEN", removedMember: NO_GROUPS, owner: "FORBIDDEN" },
  },
  "social.people.unfollow": {
    input: (w) => ({ userId: w.owner.id }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.people.followRequests": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  // The requester's request is to the owner: nobody else can answer it.
  "social.people.answerFollowRequest": {
    input: (w) => ({ userId: w.requester.id, approve: true }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.people.setBlock": {
    players: "new-others",
    othersMayChange: "blocking the owner is the blocker's to do",
    input: (w) => ({ userId: w.owner.id, blocked: true }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "FORBIDDEN" },
  },
  "social.people.setMute": {
    players: "new-others",
    othersMayChange: "muting the owner is the muter's to do",
    input: (w) => ({ userId: w.owner.id, muted: true }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "FORBIDDEN" },
  },

  "social.search.posts": {
    input: (w) => ({ query: w.postSecretWord }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.search.people": {
    input: (w) => ({ query: w.owner.handle }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },

  "social.notifications.list": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  "social.notifications.unreadCount": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  "social.notifications.markAllRead": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },

  "social.stories.reels": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  // One's own story only; another's unused upload cannot be in it.
  "social.stories.create": {
    input: (w) => ({ media: { id: w.mediaForStory, altText: "someone's picture" } }),
    expect: { anonymous: UNAUTHORIZED, stranger: "FORBIDDEN", blocked: "FORBIDDEN", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.stories.markSeen": {
    input: (w) => ({ id: w.story }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.stories.viewers": {
    input: (w) => ({ id: w.story }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },

  // Public on purpose: what a visitor may read. The owner has not made anything public
  // (search_engine_indexing), so everyone, the owner too, is told null (the secrets check makes sure).
  "social.public.profile": {
    input: (w) => ({ handle: w.owner.handle }),
    expect: { anonymous: "ok", stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "social.public.post": {
    input: (w) => ({ id: w.post }),
    expect: { anonymous: "ok", stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },

  "chat.devices.register": {
    input: () => ({ identityKey: randomBytes(33), signedPreKey: signedPreKey(1), lastResortKyberPreKey: kyberKey(0xffff_fff0) }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "chat.devices.list": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  "chat.devices.revoke": {
    input: (w) => ({ deviceRowId: w.deviceToRevoke }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  // A new signed prekey only: one-time keys would be claimed by the bundles entry's stranger.
  "chat.prekeys.publish": {
    input: (w) => ({ deviceRowId: w.device, signedPreKey: signedPreKey(2) }),
    expect: { anonymous: UNAUTHORIZED, stranger: "FORBIDDEN", blocked: "FORBIDDEN", removedMember: NO_GROUPS, owner: "ok" },
  },
  "chat.prekeys.count": {
    input: (w) => ({ deviceRowId: w.device }),
    expect: { anonymous: UNAUTHORIZED, stranger: "FORBIDDEN", blocked: "FORBIDDEN", removedMember: NO_GROUPS, owner: "ok" },
  },
  // Anyone not blocked may start a conversation; public keys are for that.
  "chat.bundles.forUser": {
    input: (w) => ({ userId: w.owner.id }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "FORBIDDEN", removedMember: NO_GROUPS, owner: "ok" },
  },
  // One's own list only (the owner's stays at version 1).
  "chat.deviceList.publish": {
    input: () => ({ version: 2, signedList: randomBytes(120) }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "chat.deviceList.get": {
    input: (w) => ({ userId: w.owner.id }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "FORBIDDEN", removedMember: NO_GROUPS, owner: "ok" },
  },
  // Anyone may report a message they say the owner sent them; without the server's tag it is stored as not verified.
  "chat.reports.create": {
    othersMayChange: "a report naming the owner as the sender lands in front of the operators, marked not verified",
    input: (w) => ({
      message: { id: randomUUID(), sentAt: Date.now(), body: "a message the owner never sent" },
      frankingKey: randomBytes(32),
      commitment: randomBytes(32),
      tag: randomBytes(32),
      senderUserId: w.owner.id,
      deliveredAt: Date.now(),
      reason: "harassment",
    }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "chat.envelopes.send": {
    othersMayChange: "a message lands in the owner's device queue",
    input: (w) => ({ clientMessageId: randomUUID(), envelopes: [{ deviceRowId: w.device, payload: envelopeBytes() }] }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "FORBIDDEN", removedMember: NO_GROUPS, owner: "ok" },
  },
  // Acknowledging ignores ids that are not the caller's (the fingerprint checks the owner's envelope stays).
  "chat.envelopes.ack": {
    input: (w) => ({ ids: [w.envelopeToAck] }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "chat.envelopes.stream": {
    input: (w) => ({ deviceRowId: w.device }),
    expect: { anonymous: UNAUTHORIZED, stranger: "FORBIDDEN", blocked: "FORBIDDEN", removedMember: NO_GROUPS, owner: "ok" },
  },
  // Anyone not blocked may send the owner a file, as a message; a blocked person has nobody left to send it to.
  "chat.attachments.create": {
    othersMayChange: "an attachment addressed to the owner's device",
    input: (w) => ({ size: 16, recipientDeviceRowIds: [w.device] }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "FORBIDDEN", removedMember: NO_GROUPS, owner: "ok" },
  },
  // Only the device's owner says the device has it (the requester's device still waits, so the blob stays).
  "chat.attachments.fetched": {
    input: (w) => ({ id: w.attachment, deviceRowId: w.device }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  "chat.attachments.quota": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  "chat.push.publicKey": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  // Another's device answers "not subscribed", as an unknown one does.
  "chat.push.status": {
    input: (w) => ({ deviceRowId: w.device }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "chat.push.subscribe": {
    input: (w) => ({ deviceRowId: w.device, ...browserPushSubscription(), locale: "en" }),
    expect: { anonymous: UNAUTHORIZED, stranger: "FORBIDDEN", blocked: "FORBIDDEN", removedMember: NO_GROUPS, owner: "ok" },
  },
  // Unsubscribing another's device deletes nothing (the fingerprint checks the owner's rows stay).
  "chat.push.unsubscribe": {
    input: (w) => ({ deviceRowId: w.device }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "chat.storage.secret": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  // Others try to take over the owner's open slot; the owner opens a new one.
  "chat.link.open": {
    input: (w, role) => ({ lookupId: role === "owner" ? randomBytes(16) : w.slotOpen }),
    expect: { anonymous: UNAUTHORIZED, stranger: "CONFLICT", blocked: "CONFLICT", removedMember: NO_GROUPS, owner: "ok" },
  },
  "chat.link.request": {
    input: (w) => ({ lookupId: w.slotOpen, request: randomBytes(64) }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  "chat.link.respond": {
    input: (w) => ({ lookupId: w.slotRequested, response: randomBytes(64) }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  "chat.link.get": {
    input: (w) => ({ lookupId: w.slotRequested }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  "chat.link.close": {
    input: (w) => ({ lookupId: w.slotToClose }),
    expect: { anonymous: UNAUTHORIZED, stranger: "NOT_FOUND", blocked: "NOT_FOUND", removedMember: NO_GROUPS, owner: "ok" },
  },
  "chat.backup.status": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  // A block either way is said (BLOCKED), so the chat can tell why a person cannot be messaged.
  "chat.directory.byHandle": {
    input: (w) => ({ handle: w.owner.handle }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "FORBIDDEN", removedMember: NO_GROUPS, owner: "ok" },
  },
  "chat.directory.byIds": {
    input: (w) => ({ userIds: [w.owner.id] }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "chat.directory.following": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  "chat.directory.suggest": {
    input: (w) => ({ query: w.owner.handle }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  // Whether the caller follows the owner: the caller's own follows, nothing of the owner's.
  "chat.directory.followed": {
    input: (w) => ({ userIds: [w.owner.id] }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "chat.blocks.block": {
    players: "new-others",
    othersMayChange: "blocking the owner from a message request is the blocker's to do",
    input: (w) => ({ userId: w.owner.id }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "FORBIDDEN" },
  },

  // Calls hold nothing of anyone's: whether calls work here, and a token for a room the caller names.
  // The matrix runs without LiveKit (no LIVEKIT_URL), so a join is NOT_CONFIGURED for everyone signed
  // in; server/api/calls/calls.test.ts plays it against a real LiveKit server.
  "calls.configured": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  "calls.join": {
    input: () => ({ room: randomUUID().replaceAll("-", ""), kind: "video", maxParticipants: 2 }),
    expect: {
      anonymous: UNAUTHORIZED,
      stranger: "PRECONDITION_FAILED",
      blocked: "PRECONDITION_FAILED",
      removedMember: NO_GROUPS,
      owner: "PRECONDITION_FAILED",
    },
  },

  "privacy.consents": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  "privacy.decide": {
    input: () => ({ purpose: "product_analytics", granted: false, source: "settings/privacy" }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "privacy.history": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  "privacy.accessLog": {
    input: () => ({}),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },
  "privacy.storedData": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  "privacy.exports": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  "privacy.requestExport": { expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" } },
  // Everyone here has the same password: each deletes only their own account.
  "privacy.deleteAccount": {
    players: "new-all",
    input: () => ({ password: TEST_PASSWORD }),
    expect: { anonymous: UNAUTHORIZED, stranger: "ok", blocked: "ok", removedMember: NO_GROUPS, owner: "ok" },
  },

  // Aggregates for operators only. The world's owner is listed in HEARTH_OPERATOR_HANDLES, so the
  // owner's cell is the operator's.
  "operator.analytics": { expect: { anonymous: UNAUTHORIZED, stranger: "FORBIDDEN", blocked: "FORBIDDEN", removedMember: NO_GROUPS, owner: "ok" } },
  "operator.reports.list": { expect: { anonymous: UNAUTHORIZED, stranger: "FORBIDDEN", blocked: "FORBIDDEN", removedMember: NO_GROUPS, owner: "ok" } },
  // No report of that id: the operator's cell is NOT_FOUND (operator/reports.test.ts dismisses real ones).
  "operator.reports.dismiss": {
    input: () => ({ kind: "post", id: "0193a8a0-0000-7000-8000-00000000dead" }),
    expect: { anonymous: UNAUTHORIZED, stranger: "FORBIDDEN", blocked: "FORBIDDEN", removedMember: NO_GROUPS, owner: "NOT_FOUND" },
  },
  // About the stranger: suspending would end the other roles' sessions, so the cell lifts a suspension there is not.
  "operator.accounts.setSuspended": {
    input: (w) => ({ userId: w.stranger.id, suspended: false }),
    expect: { anonymous: UNAUTHORIZED, stranger: "FORBIDDEN", blocked: "FORBIDDEN", removedMember: NO_GROUPS, owner: "ok" },
  },
};

// ---------------------------------------------------------------------------------------------
// The matrix of route handlers, keyed "METHOD /api/path" as the files are laid out

function withCookie(player: Player, headers: Record<string, string> = {}): Record<string, string> {
  return { ...headers, ...(player.browser.cookie ? { cookie: player.browser.cookie } : {}) };
}

const routes: Record<string, RouteEntry> = {
  "GET /api/media/[id]": {
    request: (w, p) => ({ url: `/api/media/${w.media}`, init: { headers: withCookie(p) }, params: { id: w.media } }),
    expect: { anonymous: 404, stranger: 404, blocked: 404, removedMember: NO_GROUPS, owner: 200 },
  },
  "GET /api/media/[id]/preview": {
    request: (w, p) => ({ url: `/api/media/${w.media}/preview`, init: { headers: withCookie(p) }, params: { id: w.media } }),
    expect: { anonymous: 404, stranger: 404, blocked: 404, removedMember: NO_GROUPS, owner: 200 },
  },
  // One's own upload only.
  "POST /api/media/upload": {
    request: (_w, p) => ({ url: "/api/media/upload", init: { method: "POST", headers: withCookie(p, SAME_ORIGIN), body: imageForm() } }),
    expect: { anonymous: 401, stranger: 201, blocked: 201, removedMember: NO_GROUPS, owner: 201 },
  },
  // One's own backup only: others have none.
  "GET /api/chat/backup/[kind]": {
    request: (_w, p) => ({ url: "/api/chat/backup/passphrase", init: { headers: withCookie(p) }, params: { kind: "passphrase" } }),
    expect: { anonymous: 401, stranger: 404, blocked: 404, removedMember: NO_GROUPS, owner: 200 },
  },
  "PUT /api/chat/backup/[kind]": {
    players: "new-others",
    request: (_w, p) => ({
      url: "/api/chat/backup/passphrase",
      init: { method: "PUT", headers: withCookie(p, { ...SAME_ORIGIN, "x-backup-version": "2" }), body: new Uint8Array([9, 9, 9]) },
      params: { kind: "passphrase" },
    }),
    expect: { anonymous: 401, stranger: 204, blocked: 204, removedMember: NO_GROUPS, owner: 204 },
  },
  "DELETE /api/chat/backup/[kind]": {
    players: "new-others",
    request: (_w, p) => ({
      url: "/api/chat/backup/recovery-key",
      init: { method: "DELETE", headers: withCookie(p, SAME_ORIGIN) },
      params: { kind: "recovery-key" },
    }),
    expect: { anonymous: 401, stranger: 204, blocked: 204, removedMember: NO_GROUPS, owner: 204 },
  },
  // The uploader's own upload only.
  "HEAD /api/chat/attachments/[id]": {
    request: (w, p) => ({ url: `/api/chat/attachments/${w.ownerUpload}`, init: { method: "HEAD", headers: withCookie(p) }, params: { id: w.ownerUpload } }),
    expect: { anonymous: 401, stranger: 404, blocked: 404, removedMember: NO_GROUPS, owner: 204 },
  },
  "PATCH /api/chat/attachments/[id]": {
    request: (w, p) => ({
      url: `/api/chat/attachments/${w.ownerUpload}`,
      init: {
        method: "PATCH",
        headers: withCookie(p, { ...SAME_ORIGIN, "upload-offset": "0", "content-type": "application/octet-stream" }),
        body: new Uint8Array([1, 2]),
      },
      params: { id: w.ownerUpload },
    }),
    expect: { anonymous: 401, stranger: 404, blocked: 404, removedMember: NO_GROUPS, owner: 204 },
  },
  // Only to a device it was sent to: the owner's, whoever names it.
  "GET /api/chat/attachments/[id]": {
    request: (w, p) => ({ url: `/api/chat/attachments/${w.attachment}?device=${w.device}`, init: { headers: withCookie(p) }, params: { id: w.attachment } }),
    expect: { anonymous: 401, stranger: 404, blocked: 404, removedMember: NO_GROUPS, owner: 200 },
  },
  // LiveKit's webhooks: signed by LiveKit, not by a session, so every role is the same stranger to
  // it. Without LiveKit (as here) it is NOT_CONFIGURED; calls.test.ts checks signatures on a real one.
  "POST /api/calls/webhook": {
    request: (_w, p) => ({ url: "/api/calls/webhook", init: { method: "POST", headers: withCookie(p, { authorization: "forged" }), body: "{}" } }),
    expect: { anonymous: 412, stranger: 412, blocked: 412, removedMember: NO_GROUPS, owner: 412 },
  },
  "GET /api/privacy/export/[id]": {
    request: (w, p) => ({ url: `/api/privacy/export/${w.exportId}`, init: { headers: withCookie(p) }, params: { id: w.exportId } }),
    expect: { anonymous: 401, stranger: 404, blocked: 404, removedMember: NO_GROUPS, owner: 200 },
  },
  // The tRPC endpoint runs the same procedures: one query and one mutation through it.
  "GET /api/trpc/[trpc]": {
    request: (w, p) => ({
      url: `/api/trpc/social.posts.get?input=${encodeURIComponent(JSON.stringify({ id: w.post }))}`,
      init: { headers: withCookie(p) },
      params: { trpc: "social.posts.get" },
    }),
    expect: { anonymous: 401, stranger: 404, blocked: 404, removedMember: NO_GROUPS, owner: 200 },
  },
  "POST /api/trpc/[trpc]": {
    request: (w, p) => ({
      url: "/api/trpc/social.posts.setBookmark",
      init: {
        method: "POST",
        headers: withCookie(p, { ...SAME_ORIGIN, "content-type": "application/json" }),
        body: JSON.stringify({ id: w.post, bookmarked: true }),
      },
      params: { trpc: "social.posts.setBookmark" },
    }),
    expect: { anonymous: 401, stranger: 404, blocked: 404, removedMember: NO_GROUPS, owner: 200 },
  },
};

let imageBytes: Uint8Array<ArrayBuffer> | undefined;
function imageForm(): FormData {
  const form = new FormData();
  form.append("file", new File([imageBytes!], "photo.png", { type: "image/png" }));
  return form;
}

// ---------------------------------------------------------------------------------------------
// Calling

let dataDir = "";
const ownerHandle = uniqueHandle("owner");
// Before any other hook: serverEnv() reads these once, on first use (connecting to the database is one).
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "hearth-matrix-test-"));
  process.env.HEARTH_DATA_DIR = dataDir;
  process.env.HEARTH_OPERATOR_HANDLES = ownerHandle;
});

const database = connectTestDatabase();

/** The procedure at `path` on a caller. */
function procedureOf(api: Api, dotted: string): (input: unknown) => Promise<unknown> {
  const fn = dotted.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], api);
  return fn as (input: unknown) => Promise<unknown>;
}

type Called = { outcome: "ok" | TRPCError["code"]; shown: string };

async function callProcedure(player: Player, dotted: string, input: unknown): Promise<Called> {
  const kind = (appRouter._def.procedures as unknown as Record<string, AnyProcedure>)[dotted]!._def.type;
  try {
    const result = kind === "subscription" ? await firstEvent(player, dotted, input) : await player.browser.call((api) => procedureOf(api, dotted)(input));
    return { outcome: "ok", shown: JSON.stringify(result) ?? "" };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { outcome: error.code, shown: error.message };
  }
}

/** Subscribes as the player would over SSE, takes the first event (or none within a second), and aborts. */
async function firstEvent(player: Player, dotted: string, input: unknown): Promise<unknown> {
  const controller = new AbortController();
  const headers = new Headers({ [CLIENT_IP_HEADER]: uniqueIp(), ...(player.browser.cookie ? { cookie: player.browser.cookie } : {}) });
  const ctx = await createTRPCContext({ headers, resHeaders: null });
  const api = createCaller(ctx, { signal: controller.signal });
  try {
    const iterable = (await procedureOf(api, dotted)(input)) as AsyncIterable<unknown>;
    const iterator = iterable[Symbol.asyncIterator]();
    let timer: NodeJS.Timeout | undefined;
    const quiet = new Promise<{ value: "open, nothing yet" }>((resolve) => {
      timer = setTimeout(() => resolve({ value: "open, nothing yet" }), 1_000);
    });
    try {
      return (await Promise.race([iterator.next(), quiet])).value;
    } finally {
      clearTimeout(timer);
      controller.abort();
      await iterator.return?.(undefined);
    }
  } finally {
    controller.abort();
  }
}

async function callRoute(key: string, entry: RouteEntry, player: Player, w: World): Promise<{ outcome: number; shown: string }> {
  const [method, routePath] = key.split(" ") as [string, string];
  const handler = (await routeModules())[key];
  if (!handler) throw new Error(`no handler for ${key}`);
  const { url, init, params } = entry.request(w, player);
  expect(init?.method ?? "GET", `${key} is called with its own method`).toBe(method);
  expect(new URL(url, ORIGIN).pathname.startsWith(routePath.split("/[")[0]!)).toBe(true);
  const response = await handler(new Request(new URL(url, ORIGIN), init), { params: Promise.resolve(params ?? {}) });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { outcome: response.status, shown: `${Buffer.from(bytes).toString("utf8")} ${Buffer.from(bytes).toString("base64url")}` };
}

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type RouteFn = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
let routeModulesCache: Promise<Record<string, RouteFn>> | undefined;

/** Every exported method of every app/api/** /route.ts, as "METHOD /api/…". */
function routeModules(): Promise<Record<string, RouteFn>> {
  routeModulesCache ??= (async () => {
    const apiDir = path.resolve(import.meta.dirname, "../../app/api");
    const files = (await readdir(apiDir, { recursive: true })).filter((f) => path.basename(f) === "route.ts");
    const found: Record<string, RouteFn> = {};
    for (const file of files) {
      const exported = (await import(path.join(apiDir, file))) as Record<string, unknown>;
      const urlPath = `/api/${path.dirname(file).split(path.sep).join("/")}`;
      for (const method of HTTP_METHODS) if (typeof exported[method] === "function") found[`${method} ${urlPath}`] = exported[method] as RouteFn;
    }
    return found;
  })();
  return routeModulesCache;
}

// ---------------------------------------------------------------------------------------------
// What of the owner's must stay as it was

let fingerprintQuery = "";

/**
 * One query hashing every row that refers to the owner through a foreign key, and every row that
 * refers to the owner's posts, media, stories and chat devices: found in the catalogue, so a new
 * table is covered without a change here.
 */
async function buildFingerprintQuery(): Promise<string> {
  const { rows } = await database.query<{ table_name: string; column_name: string; parent: string }>(`
    SELECT child.relname AS table_name, a.attname AS column_name, parent.relname AS parent
    FROM pg_constraint c
    JOIN pg_class child ON child.oid = c.conrelid
    JOIN pg_class parent ON parent.oid = c.confrelid
    JOIN pg_namespace n ON n.oid = child.relnamespace AND n.nspname = current_schema()
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1
      AND parent.relname IN ('users', 'posts', 'media', 'stories', 'chat_devices')`);
  const ownedBy: Record<string, string> = { posts: "author_id", media: "owner_id", stories: "author_id", chat_devices: "user_id" };
  const parts = ["(SELECT md5(u::text) FROM users u WHERE u.id = $1::uuid)"];
  for (const { table_name: table, column_name: column, parent } of rows) {
    const where = parent === "users" ? `t."${column}" = $1::uuid` : `t."${column}" IN (SELECT id FROM "${parent}" WHERE "${ownedBy[parent]}" = $1::uuid)`;
    parts.push(`(SELECT '${table}.${column}:' || coalesce(string_agg(md5(t::text), ',' ORDER BY md5(t::text)), '') FROM "${table}" t WHERE ${where})`);
  }
  expect(rows.length, "the catalogue names the tables that refer to people").toBeGreaterThan(20);
  return `SELECT concat_ws('|', ${parts.join(", ")}) AS fingerprint`;
}

async function fingerprintOf(userId: string): Promise<string> {
  const { rows } = await database.query<{ fingerprint: string }>(fingerprintQuery, [userId]);
  return rows[0]!.fingerprint;
}

// ---------------------------------------------------------------------------------------------
// Building the world

let world: World;

async function uploadImage(person: TestPerson): Promise<string> {
  const upload = (await routeModules())["POST /api/media/upload"]!;
  const response = await upload(
    new Request(`${ORIGIN}/api/media/upload`, { method: "POST", body: imageForm(), headers: { ...SAME_ORIGIN, cookie: person.browser.cookie } }),
    { params: Promise.resolve({}) },
  );
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function sendEnvelope(from: TestPerson, deviceRowId: string): Promise<string> {
  const { envelopes } = await from.call((api) =>
    api.chat.envelopes.send({ clientMessageId: randomUUID(), envelopes: [{ deviceRowId, payload: envelopeBytes() }] }),
  );
  return envelopes[0]!.id;
}

async function putBackup(person: TestPerson, kind: string, blob: Uint8Array<ArrayBuffer>): Promise<void> {
  const put = (await routeModules())[`PUT /api/chat/backup/[kind]`]!;
  const response = await put(
    new Request(`${ORIGIN}/api/chat/backup/${kind}`, {
      method: "PUT",
      body: blob,
      headers: { ...SAME_ORIGIN, cookie: person.browser.cookie, "x-backup-version": "1" },
    }),
    { params: Promise.resolve({ kind }) },
  );
  expect(response.status).toBe(204);
}

/** Begins an upload of `blob` for `recipients` and, unless `partial`, sends all of it through the route. */
async function uploadAttachment(person: TestPerson, blob: Uint8Array<ArrayBuffer>, recipients: string[], partial = false): Promise<string> {
  const { id } = await person.call((api) => api.chat.attachments.create({ size: blob.byteLength, recipientDeviceRowIds: recipients }));
  if (partial) return id;
  const patch = (await routeModules())["PATCH /api/chat/attachments/[id]"]!;
  const response = await patch(
    new Request(`${ORIGIN}/api/chat/attachments/${id}`, {
      method: "PATCH",
      body: blob,
      headers: { ...SAME_ORIGIN, cookie: person.browser.cookie, "upload-offset": "0", "content-type": "application/octet-stream" },
    }),
    { params: Promise.resolve({ id }) },
  );
  expect(response.status).toBe(204);
  return id;
}

/**
 * The owner's passkeys and two-factor. Challenges and the pending log-in are written straight into
 * the database with a day to live, so the cells that use them do not depend on how long the matrix
 * takes; two-factor is turned on with a code of an hour ago, so the owner's cell can use the current one.
 */
async function ownerFactors(owner: TestPerson, ownerSessionId: string) {
  const authenticator = softwareAuthenticator({ origin: ORIGIN });
  const register = async (name: string) => {
    const options = await owner.call((api) => api.auth.passkeys.registrationOptions());
    return (await owner.call((api) => api.auth.passkeys.register({ response: authenticator.create(options), name }))).id;
  };
  const passkey = await register(`Laptop ${randomBytes(6)}`);
  const passkeyToRemove = await register("Old phone");

  const dayAhead = new Date(Date.now() + 24 * 60 * 60 * 1000);
  const challenge = async (kind: "registration" | "authentication", sessionId: string | null) => {
    const value = randomBytes(32);
    const id = createHash("sha256").update(value).digest("hex");
    await database.query(`INSERT INTO webauthn_challenges (id, kind, session_id, expires_at) VALUES ($1, $2, $3, $4)`, [id, kind, sessionId, dayAhead]);
    return value;
  };
  const rp = { id: "localhost", name: "Hearth" };
  const user = { id: Buffer.from(owner.id).toString("base64url"), name: owner.handle, displayName: owner.handle };
  const passkeyRegistration = authenticator.create({
    rp,
    user,
    challenge: await challenge("registration", ownerSessionId),
    pubKeyCredParams: [{ type: "public-key", alg: -7 }],
  });
  const passkeyLogInReplayed = authenticator.get({ rpId: "localhost", challenge: randomBytes(32) }, { credential: authenticator.credentials[0] });
  const passkeyLogIn = authenticator.get(
    { rpId: "localhost", challenge: await challenge("authentication", null) },
    { credential: authenticator.credentials[0] },
  );

  const { secret } = await owner.call((api) => api.auth.twoFactor.begin());
  const totpKey = decodeBase32IgnorePadding(secret.replace(/ /g, ""));
  const anHourAgo = new Date(Date.now() - 60 * 60 * 1000);
  await confirmTwoFactorEnrolment({ actor: { kind: "person", userId: owner.id }, code: totpCodeAt(totpKey, anHourAgo), now: anHourAgo });
  const pendingLogIn = randomBytes(20)
    .toLowerCase()
    .replace(/[^a-z]/g, "a")
    .padEnd(32, "a")
    .slice(0, 32);
  await database.query(`INSERT INTO pending_log_ins (id, user_id, expires_at) VALUES ($1, $2::uuid, $3)`, [
    createHash("sha256").update(pendingLogIn).digest("hex"),
    owner.id,
    dayAhead,
  ]);
  return {
    world: { passkey, passkeyToRemove, passkeyRegistration, passkeyLogIn, passkeyLogInReplayed, totpKey, pendingLogIn },
    secrets: [passkey, passkeyToRemove, secret.replace(/ /g, ""), pendingLogIn],
  };
}

async function buildWorld(ownerHandle: string): Promise<World> {
  const ownerBrowser = testBrowser();
  const ownerEmail = uniqueEmail();
  await ownerBrowser.call((api) => api.auth.signUp({ handle: ownerHandle, email: ownerEmail, password: TEST_PASSWORD }));
  const ownerId = (await ownerBrowser.call((api) => api.auth.me()))!.userId;
  const owner: TestPerson = { browser: ownerBrowser, id: ownerId, handle: ownerHandle, email: ownerEmail, call: ownerBrowser.call.bind(ownerBrowser) };
  const [stranger, blocked, requester] = await Promise.all([signedUpPerson(), signedUpPerson(), signedUpPerson()]);

  await owner.call((api) => api.social.people.updateProfile({ isProtected: true }));
  await owner.call((api) => api.social.people.setBlock({ userId: blocked.id, blocked: true }));
  await requester.call((api) => api.social.people.follow({ userId: owner.id }));

  const secretWord = `secret${randomBytes(6).replace(/[^a-z0-9]/gi, "")}`;
  const hashtag = `tag${randomBytes(6)
    .replace(/[^a-z0-9]/gi, "")
    .toLowerCase()}`;
  const media = await uploadImage(owner);
  const [mediaForProfile, mediaForStory] = [await uploadImage(owner), await uploadImage(owner)];
  const postText = `Only my followers read this ${secretWord} #${hashtag}`;
  const post = (await owner.call((api) => api.social.posts.create({ text: postText, media: [{ id: media, altText: "a picture" }] }))).id;
  const postToEdit = (await owner.call((api) => api.social.posts.create({ text: `to edit ${secretWord}` }))).id;
  const postToDelete = (await owner.call((api) => api.social.posts.create({ text: `to delete ${secretWord}` }))).id;
  const storyText = `story ${randomBytes(9)}`;
  const story = (await owner.call((api) => api.social.stories.create({ text: storyText }))).id;

  const register = () =>
    owner.call((api) =>
      api.chat.devices.register({ identityKey: randomBytes(33), signedPreKey: signedPreKey(1), lastResortKyberPreKey: kyberKey(0xffff_fff0) }),
    );
  const device = (await register()).rowId;
  const deviceToRevoke = (await register()).rowId;
  await owner.call((api) => api.chat.deviceList.publish({ version: 1, signedList: randomBytes(120) }));
  const { secret: storageSecret } = await owner.call((api) => api.chat.storage.secret());
  await sendEnvelope(requester, device); // pending, for the owner's stream
  const envelopeToAck = await sendEnvelope(requester, device);

  const requesterDevice = (
    await requester.call((api) =>
      api.chat.devices.register({ identityKey: randomBytes(33), signedPreKey: signedPreKey(1), lastResortKyberPreKey: kyberKey(0xffff_fff0) }),
    )
  ).rowId;
  const attachmentBlob = new Uint8Array(64).map((_, i) => (i * 53 + 5) & 0xff);
  const attachment = await uploadAttachment(requester, attachmentBlob, [device, requesterDevice]);
  const ownerUpload = await uploadAttachment(owner, new Uint8Array(4), [device], true);

  const [slotOpen, slotRequested, slotToClose] = [randomBytes(16), randomBytes(16), randomBytes(16)];
  for (const lookupId of [slotOpen, slotRequested, slotToClose]) await owner.call((api) => api.chat.link.open({ lookupId }));
  const linkRequest = randomBytes(64);
  await owner.call((api) => api.chat.link.request({ lookupId: slotRequested, request: linkRequest }));

  const backupBlob = new Uint8Array(48).map((_, i) => (i * 37 + 11) & 0xff);
  await putBackup(owner, "passphrase", backupBlob);
  await putBackup(owner, "recovery-key", backupBlob);

  const otherSession = testBrowser();
  await otherSession.call((api) => api.auth.logIn({ identifier: ownerHandle, password: TEST_PASSWORD }));
  const sessions = await owner.call((api) => api.auth.sessions.list());
  const sessionToRevoke = sessions.find((s) => !s.current)!.id;

  // A finished export, made directly: the export worker would build other test files' queued exports too.
  const storageKey = `matrix-${randomUUID()}`;
  const { rows } = await database.query<{ id: string }>(
    `INSERT INTO export_jobs (id, user_id, status, progress, storage_key, bytes, finished_at, expires_at)
     VALUES ($1::uuid, $2::uuid, 'ready', 100, $3, 4, now(), now() + interval '7 days') RETURNING id::text`,
    [randomUUID(), owner.id, storageKey],
  );
  await exportStorage().put(exportKeyOf(storageKey), new TextEncoder().encode("PK\u0005\u0006"));
  const exportId = rows[0]!.id;

  const factors = await ownerFactors(owner, sessions.find((s) => s.current)!.id);

  const sessionIds = sessions.map((s) => s.id);
  return {
    owner,
    stranger,
    blocked,
    requester,
    post,
    postSecretWord: secretWord,
    hashtag,
    postToEdit,
    postToDelete,
    media,
    mediaForProfile,
    mediaForStory,
    story,
    device,
    deviceToRevoke,
    envelopeToAck,
    attachment,
    ownerUpload,
    slotOpen,
    slotRequested,
    slotToClose,
    sessionToRevoke,
    exportId,
    ...factors.world,
    secrets: [
      ...factors.secrets,
      ownerEmail,
      secretWord,
      storyText,
      storageSecret,
      linkRequest,
      Buffer.from(backupBlob).toString("base64url"),
      Buffer.from(attachmentBlob).toString("base64url"),
      media,
      post,
      exportId,
      ...sessionIds,
    ],
  };
}

/** Who plays each role of an entry; the removed group member waits for groups. */
async function playersOf(players: Players = "world"): Promise<Partial<Record<Role, Player>>> {
  const w = world;
  const anonymous: Player = { role: "anonymous", browser: testBrowser(), person: null };
  const play = (role: Role, person: TestPerson): Player => ({ role, browser: person.browser, person });
  if (players === "world") {
    return { anonymous, stranger: play("stranger", w.stranger), blocked: play("blocked", w.blocked), owner: play("owner", w.owner) };
  }
  const [stranger, blocked, newOwner] = await Promise.all([signedUpPerson(), signedUpPerson(), players === "new-all" ? signedUpPerson() : null]);
  await w.owner.call((api) => api.social.people.setBlock({ userId: blocked.id, blocked: true }));
  return { anonymous, stranger: play("stranger", stranger), blocked: play("blocked", blocked), owner: play("owner", newOwner ?? w.owner) };
}

beforeAll(async () => {
  imageBytes = new Uint8Array(
    await sharp({ create: { width: 40, height: 30, channels: 3, background: "#a84" } })
      .png()
      .toBuffer(),
  );
  fingerprintQuery = await buildFingerprintQuery();
  world = await buildWorld(ownerHandle);
});

afterAll(async () => {
  await envelopeBus().close();
  await rm(dataDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// The tests

const procedurePaths = Object.keys(appRouter._def.procedures).sort();

describe("the matrix covers everything", () => {
  it("has an entry for every procedure of the root router, and none for a procedure that does not exist", () => {
    expect(Object.keys(procedures).sort()).toEqual(procedurePaths);
  });

  it("has an entry for every method of every route handler under app/api, and none for one that does not exist", async () => {
    expect(Object.keys(routes).sort()).toEqual(Object.keys(await routeModules()).sort());
  });

  it("has checks that can fail: the owner's own read shows a secret, the owner's own change moves the fingerprint", async () => {
    const owner: Player = { role: "owner", browser: world.owner.browser, person: world.owner };
    expect((await callProcedure(owner, "social.posts.get", { id: world.post })).shown).toContain(world.postSecretWord);
    const before = await fingerprintOf(world.owner.id);
    await world.owner.call((api) => api.privacy.decide({ purpose: "personalized_suggestions", granted: false, source: "settings/privacy" }));
    expect(await fingerprintOf(world.owner.id)).not.toBe(before);
  });

  it("gives every entry an outcome for every role", () => {
    for (const [name, entry] of [...Object.entries(procedures), ...Object.entries(routes)]) {
      expect(Object.keys(entry.expect).sort(), name).toEqual([...ROLES].sort());
    }
  });
});

/** Plays one cell; for anyone but the owner, checks that nothing private came back and nothing of the owner's changed. */
async function playCell<O extends string | number>(
  name: string,
  role: Role,
  expected: O | NotApplicable,
  player: Player | undefined,
  othersMayChange: string | undefined,
  call: (player: Player) => Promise<{ outcome: O; shown: string }>,
): Promise<void> {
  if (typeof expected === "object") {
    expect(player, `${name} as ${role}: a player exists, so the cell needs an outcome (${expected.notApplicable})`).toBeUndefined();
    return;
  }
  expect(player, `${name} as ${role}: nobody plays this role yet`).toBeDefined();
  const before = role === "owner" ? "" : await fingerprintOf(world.owner.id);
  const { outcome, shown } = await call(player!);
  expect(outcome, `${name} as ${role}`).toBe(expected);
  if (role === "owner") return;
  for (const secret of world.secrets) expect(shown, `${name} as ${role} returned something private of the owner's`).not.toContain(secret);
  if (!(othersMayChange && outcome === "ok")) {
    expect(await fingerprintOf(world.owner.id), `${name} as ${role} changed the owner's rows`).toBe(before);
  }
}

describe("every procedure, by every role, about the owner's resources", () => {
  it.each(procedurePaths)("%s", async (dotted) => {
    const entry = (procedures as Record<string, ProcedureEntry<ProcedurePath> | undefined>)[dotted];
    expect(entry, `${dotted} has no entry in the matrix`).toBeDefined();
    const players = await playersOf(entry!.players);
    for (const role of ROLES) {
      await playCell(dotted, role, entry!.expect[role], players[role], entry!.othersMayChange, (player) =>
        callProcedure(player, dotted, entry!.input?.(world, role)),
      );
    }
  });
});

describe("every route handler, by every role, about the owner's resources", () => {
  it.each(Object.keys(routes).sort())("%s", async (key) => {
    const entry = routes[key]!;
    const players = await playersOf(entry.players);
    for (const role of ROLES) {
      await playCell(key, role, entry.expect[role], players[role], undefined, (player) => callRoute(key, entry, player, world));
    }
  });
});
