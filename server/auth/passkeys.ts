// Passkeys with @simplewebauthn/server, which parses and verifies the WebAuthn ceremonies (CBOR,
// COSE keys, signatures, the counter). Hearth adds what the library leaves to it:
// - the relying party is the configured public origin (HEARTH_PUBLIC_ORIGIN), never a request's Host;
// - every challenge is random, kept 5 minutes as its SHA-256, and deleted by the one response that
//   uses it; a registration challenge belongs to the session that asked for it;
// - passkeys are discoverable and verify the user (PIN, biometrics), so a passkey log-in needs no
//   name and counts as two factors: it skips the TOTP step;
// - a counter that goes back (a cloned authenticator) is refused by the library and, for a race
//   between two log-ins, by the conditional update in recordPasskeyUse.
import "server-only";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { z } from "zod";
import type { PersonActor } from "../data/actor";
import {
  consumeWebAuthnChallenge,
  createPasskey,
  createWebAuthnChallenge,
  deletePasskey,
  findPasskeyByCredentialId,
  listPasskeys,
  recordPasskeyUse,
  renamePasskey,
  type ChallengeKind,
} from "../data/auth/passkeys";
import { findLoginCredentials } from "../data/auth/users";
import { publicOrigin } from "../env";
import { AppError } from "../errors";
import { finishLogIn, isPastRestoreWindow, type LoggedIn } from "./log-in";
import { enforceRateLimit, rateLimitRules } from "./rate-limits";
import { recordSecurityEvent } from "./security-events";
import { confirmAccountProof, type AccountProof } from "./two-factor";

const CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;
const RP_NAME = "Hearth";

function relyingParty(): { rpID: string; origin: string } {
  const origin = publicOrigin();
  return { rpID: new URL(origin).hostname, origin };
}

const challengeId = (challenge: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(challenge)));

const invalid = (why: string) => new AppError("PASSKEY_INVALID", why);

const ZClientDataSchema = z.object({ challenge: z.string().min(16).max(200) });

/** The challenge a response signed, read from its clientDataJSON (verification then checks it all). */
function signedChallenge(clientDataJSON: string): string {
  try {
    return ZClientDataSchema.parse(JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8"))).challenge;
  } catch {
    throw invalid("The passkey's answer is not readable.");
  }
}

/** Takes the response's challenge out of the store: it must be live, of this kind, and (for a registration) this session's. */
async function useChallenge(options: { clientDataJSON: string; kind: ChallengeKind; sessionId: string | null; now: Date }): Promise<string> {
  const challenge = signedChallenge(options.clientDataJSON);
  const used = await consumeWebAuthnChallenge({
    purpose: "core.security",
    id: challengeId(challenge),
    kind: options.kind,
    sessionId: options.sessionId,
    now: options.now,
  });
  if (!used) throw invalid("This passkey request has expired or was used; try again.");
  return challenge;
}

async function storeChallenge(options: { challenge: string; kind: ChallengeKind; sessionId: string | null; now: Date }): Promise<void> {
  await createWebAuthnChallenge({
    purpose: "core.security",
    id: challengeId(options.challenge),
    kind: options.kind,
    sessionId: options.sessionId,
    expiresAt: new Date(options.now.getTime() + CHALLENGE_LIFETIME_MS),
  });
}

export async function listOwnPasskeys(options: { actor: PersonActor }) {
  const rows = await listPasskeys({ actor: options.actor, purpose: "core.security" });
  return rows.map(({ id, name, createdAt, lastUsedAt, backedUp }) => ({ id, name, createdAt, lastUsedAt, synced: backedUp }));
}

/**
 * Options for navigator.credentials.create, with a challenge bound to the asking session.
 * @throws AppError RATE_LIMITED
 */
export async function passkeyRegistrationOptions(options: {
  actor: PersonActor;
  sessionId: string;
  handle: string;
  displayName: string;
  now: Date;
}): Promise<PublicKeyCredentialCreationOptionsJSON> {
  await enforceRateLimit(rateLimitRules.securitySetupsPerAccount, options.actor.userId);
  const existing = await listPasskeys({ actor: options.actor, purpose: "core.security" });
  const creation = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: relyingParty().rpID,
    userName: options.handle,
    userDisplayName: options.displayName,
    // The user handle is the opaque account id: no name or address goes into the authenticator's record beyond the handle shown.
    userID: new TextEncoder().encode(options.actor.userId),
    attestationType: "none",
    timeout: CHALLENGE_LIFETIME_MS,
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
  });
  await storeChallenge({ challenge: creation.challenge, kind: "registration", sessionId: options.sessionId, now: options.now });
  return creation;
}

/**
 * Verifies the browser's answer to passkeyRegistrationOptions and keeps the new passkey.
 * @throws AppError PASSKEY_INVALID
 */
export async function registerPasskey(options: {
  actor: PersonActor;
  sessionId: string;
  response: RegistrationResponseJSON;
  name: string;
  now: Date;
}): Promise<{ id: string }> {
  const { actor, response, now } = options;
  const challenge = await useChallenge({ clientDataJSON: response.response.clientDataJSON, kind: "registration", sessionId: options.sessionId, now });
  const { rpID, origin } = relyingParty();
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
    });
  } catch {
    throw invalid("The passkey could not be verified.");
  }
  if (!verified.verified) throw invalid("The passkey could not be verified.");
  const { credential, credentialDeviceType, credentialBackedUp } = verified.registrationInfo;
  const created = await createPasskey({
    actor,
    purpose: "core.security",
    credentialId: credential.id,
    publicKey: new Uint8Array(credential.publicKey),
    counter: credential.counter,
    transports: credential.transports ?? [],
    deviceType: credentialDeviceType,
    backedUp: credentialBackedUp,
    name: options.name,
    now,
  });
  if (!created) throw invalid("This passkey is registered already.");
  await recordSecurityEvent({ actor, code: "passkey_added", detail: options.name, now });
  return created;
}

/**
 * Options for navigator.credentials.get with no account named: the authenticator offers its
 * passkeys for this site (discoverable credentials).
 * @throws AppError RATE_LIMITED
 */
export async function passkeyLogInOptions(options: { clientIp: string; now: Date }): Promise<PublicKeyCredentialRequestOptionsJSON> {
  await enforceRateLimit(rateLimitRules.logInPerIp, options.clientIp);
  const request = await generateAuthenticationOptions({ rpID: relyingParty().rpID, userVerification: "required", timeout: CHALLENGE_LIFETIME_MS });
  await storeChallenge({ challenge: request.challenge, kind: "authentication", sessionId: null, now: options.now });
  return request;
}

/**
 * Logs in with a passkey: its signature over a live challenge, by a passkey on file whose counter
 * moved forward. Two factors in one (the device, and the PIN or biometric it verified).
 * @throws AppError PASSKEY_INVALID | ACCOUNT_SUSPENDED | RATE_LIMITED
 */
export async function logInWithPasskey(options: {
  response: AuthenticationResponseJSON;
  clientIp: string;
  userAgent: string | null;
  now: Date;
}): Promise<LoggedIn> {
  const { response, now } = options;
  await enforceRateLimit(rateLimitRules.secondStepPerIp, options.clientIp);
  const challenge = await useChallenge({ clientDataJSON: response.response.clientDataJSON, kind: "authentication", sessionId: null, now });
  const passkey = await findPasskeyByCredentialId({ purpose: "core.security", credentialId: response.id });
  if (!passkey) throw invalid("This passkey is not registered with Hearth (it may have been removed).");
  const { rpID, origin } = relyingParty();
  let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: Number(passkey.counter), transports: passkey.transports },
    });
  } catch {
    throw invalid("The passkey could not be verified.");
  }
  if (!verified.verified) throw invalid("The passkey could not be verified.");
  const recorded = await recordPasskeyUse({
    purpose: "core.security",
    id: passkey.id,
    previousCounter: passkey.counter,
    newCounter: verified.authenticationInfo.newCounter,
    now,
  });
  if (!recorded) throw invalid("The passkey could not be verified.");
  const account = await findLoginCredentials({ purpose: "core.security", account: { userId: passkey.userId } });
  if (!account || isPastRestoreWindow(account, now)) throw invalid("This passkey's account is gone.");
  if (account.suspendedAt) throw new AppError("ACCOUNT_SUSPENDED", "This account is suspended.");
  return finishLogIn({ userId: passkey.userId, locale: account.locale, deactivated: account.deactivatedAt !== null, userAgent: options.userAgent });
}

/** @throws AppError NOT_FOUND when it is not one of the actor's passkeys */
export async function renameOwnPasskey(options: { actor: PersonActor; id: string; name: string }): Promise<void> {
  if (!(await renamePasskey({ ...options, purpose: "core.security" }))) throw new AppError("NOT_FOUND", "No such passkey.");
}

/**
 * Removes a passkey after the password (or a current two-factor code): a stolen session alone
 * cannot take away the owner's way back in.
 * @throws AppError NOT_FOUND | INVALID_CREDENTIALS | CODE_INVALID | RATE_LIMITED
 */
export async function removeOwnPasskey(options: { actor: PersonActor; id: string; proof: AccountProof; now: Date }): Promise<void> {
  await confirmAccountProof(options);
  const removed = await deletePasskey({ actor: options.actor, purpose: "core.security", id: options.id });
  if (!removed) throw new AppError("NOT_FOUND", "No such passkey.");
  await recordSecurityEvent({ actor: options.actor, code: "passkey_removed", detail: removed.name, now: options.now });
}
