"use client";
// Tells an access-log entry in the reader's language. The server stores what happened as a code
// with one parameter (who looked, or which day was counted); an unknown code, from a newer server,
// is shown as it is, so no entry is ever hidden. Who looked is null once their account is purged.
import { useFormatter, useTranslations } from "next-intl";
import type { AccessActionCode } from "@/server/data/consent/consent-gate";

const MESSAGE_KEY: Record<AccessActionCode, string> = {
  found_by_email: "foundByEmail",
  profile_shown_to_visitor: "profileToVisitor",
  post_shown_to_visitor: "postToVisitor",
  image_shown_to_visitor: "imageToVisitor",
  listed_in_sitemap: "sitemap",
  used_for_suggestions: "suggestions",
  presence_shown: "presenceShown",
  counted_in_totals: "countedInTotals",
  included_in_training_corpus: "trainingCorpus",
  export_requested: "exportRequested",
  passkey_added: "passkeyAdded",
  passkey_removed: "passkeyRemoved",
  two_factor_enabled: "twoFactorEnabled",
  two_factor_disabled: "twoFactorDisabled",
  recovery_codes_regenerated: "recoveryCodesRegenerated",
  email_verified: "emailVerified",
  email_changed: "emailChanged",
  password_changed: "passwordChanged",
  password_reset: "passwordReset",
  push_subscription_added: "pushSubscriptionAdded",
  push_subscription_turned_off: "pushSubscriptionTurnedOff",
  push_subscription_device_removed: "pushSubscriptionDeviceRemoved",
  push_subscription_withdrawn: "pushSubscriptionWithdrawn",
  push_subscription_gone: "pushSubscriptionGone",
};

const NAMES_ACCESSOR: ReadonlySet<string> = new Set(["found_by_email", "presence_shown"] satisfies AccessActionCode[]);

export function useDescribeAccess(): (entry: { action: string; detail: string | null }) => string {
  const t = useTranslations("privacy.actions");
  const format = useFormatter();
  return ({ action, detail }) => {
    const key = MESSAGE_KEY[action as AccessActionCode];
    if (!key) return action;
    if (NAMES_ACCESSOR.has(action) && !detail) return t(`${key}Deleted`);
    // The day of a usage total is a UTC calendar day, whatever the reader's zone.
    const date = action === "counted_in_totals" && detail ? format.dateTime(new Date(`${detail}T00:00:00Z`), { dateStyle: "long", timeZone: "UTC" }) : "";
    // `detail` is a handle for the codes that name who looked, a passkey's name for passkey changes,
    // a push service's host for push addresses.
    return t(key, { handle: detail ?? "", name: detail ?? "", service: detail ?? "", date });
  };
}
