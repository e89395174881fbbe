// The optional purposes: each off until its person switches it on, each with the version of the
// explanation the person agreed to. Raising a version makes earlier grants lapse until the
// person reviews the new explanation (the dashboard asks them to).
import type { ConsentPurpose } from "../generated/prisma/enums";

export type OptionalPurpose = ConsentPurpose;

/** Every optional purpose, in the order the dashboard shows them. */
export const OPTIONAL_PURPOSE_NAMES = [
  "discoverable_by_email",
  "search_engine_indexing",
  "personalized_suggestions",
  "presence_sharing",
  "product_analytics",
  "ai_training_corpus",
  "push_notifications",
] as const satisfies readonly OptionalPurpose[];

/** Kinds of personal data, as the access log and the dashboard name them. */
export type DataCategory = "email" | "profile" | "posts" | "follow graph" | "interactions" | "activity times" | "usage counts" | "push address";

export interface PurposeDefinition {
  purpose: OptionalPurpose;
  policyVersion: number;
  /** What the feature reads when switched on. */
  categories: DataCategory[];
}

export const OPTIONAL_PURPOSES: readonly PurposeDefinition[] = [
  { purpose: "discoverable_by_email", policyVersion: 1, categories: ["email"] },
  { purpose: "search_engine_indexing", policyVersion: 1, categories: ["profile", "posts"] },
  { purpose: "personalized_suggestions", policyVersion: 1, categories: ["follow graph", "interactions"] },
  { purpose: "presence_sharing", policyVersion: 1, categories: ["activity times"] },
  { purpose: "product_analytics", policyVersion: 1, categories: ["usage counts"] },
  { purpose: "ai_training_corpus", policyVersion: 1, categories: ["posts"] },
  // The browser vendor's push service learns a device's push address and when it is woken, never who wrote or what.
  { purpose: "push_notifications", policyVersion: 1, categories: ["push address"] },
];

const BY_PURPOSE = new Map(OPTIONAL_PURPOSES.map((p) => [p.purpose, p]));

export function purposeDefinition(purpose: OptionalPurpose): PurposeDefinition {
  const definition = BY_PURPOSE.get(purpose);
  if (!definition) throw new Error(`Unknown purpose ${purpose}`);
  return definition;
}

export function isOptionalPurpose(value: string): value is OptionalPurpose {
  return BY_PURPOSE.has(value as OptionalPurpose);
}
