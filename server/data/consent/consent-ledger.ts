// The consent ledger: append-only events (the database refuses UPDATE and DELETE), and the
// current state derived from them. A grant counts only while its policy version is current.
import "server-only";
import type { PersonActor } from "../actor";
import { db, Prisma } from "../db";
import { OPTIONAL_PURPOSES, purposeDefinition, type DataCategory, type OptionalPurpose } from "./purposes";

export type ConsentState = "granted" | "withdrawn" | "never_asked" | "lapsed";

export interface PurposeConsent {
  purpose: OptionalPurpose;
  /** The kinds of data the purpose's feature reads. */
  categories: DataCategory[];
  state: ConsentState;
  currentPolicyVersion: number;
  /** When the latest decision was made, if any. */
  decidedAt: Date | null;
}

export async function recordConsentDecision(options: {
  actor: PersonActor;
  purpose: "core.privacy";
  optionalPurpose: OptionalPurpose;
  granted: boolean;
  source: string;
  now?: Date;
}): Promise<void> {
  await db().consentEvent.create({
    data: {
      userId: options.actor.userId,
      purpose: options.optionalPurpose,
      granted: options.granted,
      policyVersion: purposeDefinition(options.optionalPurpose).policyVersion,
      source: options.source,
      createdAt: options.now,
    },
  });
}

interface LatestEvent {
  user_id: string;
  purpose: OptionalPurpose;
  granted: boolean;
  policy_version: number;
  created_at: Date;
}

async function latestEvents(userIds: readonly string[], purpose?: OptionalPurpose): Promise<LatestEvent[]> {
  if (userIds.length === 0) return [];
  return db().$queryRaw<LatestEvent[]>`
    SELECT DISTINCT ON (user_id, purpose) user_id, purpose, granted, policy_version, created_at
    FROM consent_events
    WHERE user_id = ANY(${[...userIds]}::uuid[])
      ${purpose ? Prisma.sql`AND purpose = ${purpose}::consent_purpose` : Prisma.empty}
    ORDER BY user_id, purpose, created_at DESC, id DESC`;
}

function stateOf(event: LatestEvent | undefined, currentVersion: number): ConsentState {
  if (!event) return "never_asked";
  if (!event.granted) return "withdrawn";
  return event.policy_version === currentVersion ? "granted" : "lapsed";
}

/** Each optional purpose with the person's current state. */
export async function listConsentStates(options: { actor: PersonActor; purpose: "core.privacy" }): Promise<PurposeConsent[]> {
  const events = await latestEvents([options.actor.userId]);
  return OPTIONAL_PURPOSES.map(({ purpose, policyVersion, categories }) => {
    const event = events.find((e) => e.purpose === purpose);
    return { purpose, categories, state: stateOf(event, policyVersion), currentPolicyVersion: policyVersion, decidedAt: event?.created_at ?? null };
  });
}

/** Of these people, those with a current grant for the purpose. The one consent check. */
export async function peopleWithConsent(purpose: OptionalPurpose, userIds: readonly string[]): Promise<Set<string>> {
  const { policyVersion } = purposeDefinition(purpose);
  const events = await latestEvents(userIds, purpose);
  return new Set(events.filter((e) => stateOf(e, policyVersion) === "granted").map((e) => e.user_id));
}

export async function listConsentHistory(options: { actor: PersonActor; purpose: "core.privacy" }) {
  return db().consentEvent.findMany({
    where: { userId: options.actor.userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 500,
    select: { id: true, purpose: true, granted: true, policyVersion: true, source: true, createdAt: true },
  });
}
