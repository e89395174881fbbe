// The person's own security changes, written to their access log (purpose "security") so that a
// passkey or a two-factor change they did not make stands out. Never a secret: at most a passkey's name.
import "server-only";
import type { PersonActor } from "../data/actor";
import { logAccess, type AccessActionCode } from "../data/consent/consent-gate";

export async function recordSecurityEvent(options: { actor: PersonActor; code: AccessActionCode; detail?: string; now?: Date }): Promise<void> {
  await logAccess({
    subjectId: options.actor.userId,
    accessor: options.actor,
    action: { code: options.code, detail: options.detail },
    purpose: "security",
    categories: ["account security"],
    now: options.now,
  });
}
