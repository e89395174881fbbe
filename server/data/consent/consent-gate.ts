// The consent gate: the only way code may use personal data for an optional purpose.
// Invariants: the data of a person without a current grant never reaches `use`; every use of a
// consenting person's data is written to the access log in the same call; nothing is logged
// for people whose data was not used.
import "server-only";
import type { Actor } from "../actor";
import { db } from "../db";
import { peopleWithConsent } from "./consent-ledger";
import { purposeDefinition, type OptionalPurpose } from "./purposes";

/**
 * What an access-log entry says happened, as a code the reader's UI translates, with its one
 * parameter where it has one: who looked (by account id, so a purged account's entries say "a
 * deleted account" instead of keeping a handle someone else may take) or which day was counted.
 */
export type AccessActionCode =
  | "found_by_email"
  | "profile_shown_to_visitor"
  | "post_shown_to_visitor"
  | "image_shown_to_visitor"
  | "listed_in_sitemap"
  | "used_for_suggestions"
  | "presence_shown"
  | "counted_in_totals"
  | "included_in_training_corpus"
  | "export_requested"
  // The person's own changes to how they log in (purpose "security"): shown so that a change they
  // did not make stands out. `detail` is a passkey's name where there is one.
  | "passkey_added"
  | "passkey_removed"
  | "two_factor_enabled"
  | "two_factor_disabled"
  | "recovery_codes_regenerated"
  | "email_verified"
  | "email_changed"
  | "password_changed"
  | "password_reset"
  // A push address of one of the person's devices (purpose "push_notifications"), kept or deleted:
  // the push service learns when that device is woken. `detail` is the service's host.
  | "push_subscription_added"
  | "push_subscription_turned_off"
  | "push_subscription_device_removed"
  | "push_subscription_withdrawn"
  | "push_subscription_gone";

export interface AccessAction {
  code: AccessActionCode;
  /** The person who looked, for codes that name them. */
  accessorId?: string;
  detail?: string;
}

export interface GatedUse<T> {
  result: T;
  /** Whose data the result holds (a subset of the consenting people); each gets a log entry. */
  usedSubjectIds: readonly string[];
}

export async function withConsent<T>(options: {
  purpose: OptionalPurpose;
  accessor: Actor;
  /** What happened, as the person will read it in their access log. */
  action: AccessAction;
  /** The people whose data the use would touch. */
  subjectIds: readonly string[];
  use: (consenting: ReadonlySet<string>) => Promise<GatedUse<T>>;
  now?: Date;
}): Promise<T> {
  const consenting = await peopleWithConsent(options.purpose, [...new Set(options.subjectIds)]);
  const { result, usedSubjectIds } = await options.use(consenting);
  const logged = usedSubjectIds.filter((id) => consenting.has(id));
  if (logged.length !== usedSubjectIds.length) {
    throw new Error(`Consent gate: ${options.purpose} used data of people without a current grant.`);
  }
  if (logged.length) {
    await db().accessLogEntry.createMany({
      data: logged.map((subjectId) => ({
        subjectId,
        accessor: options.accessor.kind,
        accessorId: options.action.accessorId ?? null,
        action: options.action.code,
        detail: options.action.detail ?? null,
        purpose: options.purpose,
        categories: purposeDefinition(options.purpose).categories,
        createdAt: options.now,
      })),
    });
  }
  return result;
}

/** Records an access that needs no consent but must be shown to the person (exports, operators). */
export async function logAccess(options: {
  subjectId: string;
  accessor: Actor;
  action: AccessAction;
  purpose: "export" | "operator" | "security" | "push_notifications";
  categories: string[];
  now?: Date;
}): Promise<void> {
  await db().accessLogEntry.create({
    data: {
      subjectId: options.subjectId,
      accessor: options.accessor.kind,
      accessorId: options.action.accessorId ?? null,
      action: options.action.code,
      detail: options.action.detail ?? null,
      purpose: options.purpose,
      categories: options.categories,
      createdAt: options.now,
    },
  });
}
