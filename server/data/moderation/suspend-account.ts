// Suspension: an operator's answer to a report upheld. A suspended account cannot log in
// (server/auth/log-in.ts), its sessions end at once, and a session that slipped through is refused
// when it is next validated, so it can neither post nor send. Its data stays; lifting the
// suspension restores it as it was.
import "server-only";
import { AppError } from "../../errors";
import type { PersonActor } from "../actor";
import { db } from "../db";

/**
 * Suspends (or, with `suspended: false`, reinstates) an account; an operator cannot suspend themself.
 * @throws AppError NOT_FOUND for an unknown account; FORBIDDEN for the operator's own
 */
export async function setAccountSuspended(options: {
  actor: PersonActor;
  purpose: "core.moderation";
  userId: string;
  suspended: boolean;
  now: Date;
}): Promise<{ suspendedAt: Date | null }> {
  if (options.userId === options.actor.userId) throw new AppError("FORBIDDEN", "You cannot suspend your own account.");
  const suspendedAt = options.suspended ? options.now : null;
  return db().$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({ where: { id: options.userId }, data: { suspendedAt } });
    if (!count) throw new AppError("NOT_FOUND", "No such account.");
    if (options.suspended) await tx.session.deleteMany({ where: { userId: options.userId } });
    return { suspendedAt };
  });
}
