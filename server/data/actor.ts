import type { OptionalPurpose } from "./consent/purposes";

// Who is asking, and why. Every data-layer function takes both, so that the consent gate has one
// place to stand: `core.*` purposes run the service the person asked for and need no consent.

export type PersonActor = { kind: "person"; userId: string };
export type Actor = PersonActor | { kind: "visitor" } | { kind: "system"; job: string };

export type CorePurpose =
  | "core.account"
  | "core.sessions"
  | "core.security"
  | "core.posts"
  | "core.timeline"
  | "core.profiles"
  | "core.relationships"
  | "core.search"
  | "core.notifications"
  | "core.stories"
  | "core.media"
  | "core.privacy"
  | "core.messaging"
  | "core.moderation";

/** Core purposes need no consent; optional ones go through server/data/consent/consent-gate.ts. */
export type Purpose = CorePurpose | OptionalPurpose;

export const visitor: Actor = { kind: "visitor" };

export function person(userId: string): PersonActor {
  return { kind: "person", userId };
}

export function system(job: string): Actor {
  return { kind: "system", job };
}
