// The optional purposes, in the dashboard's order, for the access-log filter. The server's list
// (server/data/consent/purposes.ts) is a value the UI may not import; `satisfies` below fails the
// type check if the two ever name different purposes.
import type { OptionalPurpose } from "@/server/data/consent/purposes";

export const OPTIONAL_PURPOSE_NAMES = [
  "discoverable_by_email",
  "search_engine_indexing",
  "personalized_suggestions",
  "presence_sharing",
  "product_analytics",
  "ai_training_corpus",
  "push_notifications",
] as const satisfies readonly OptionalPurpose[];

// A purpose added on the server but missing here is a type error.
type AssertTrue<T extends true> = T;
type _EveryPurposeListed = AssertTrue<[Exclude<OptionalPurpose, (typeof OPTIONAL_PURPOSE_NAMES)[number]>] extends [never] ? true : false>;
