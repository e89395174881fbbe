// The privacy domain: consents, the access log, what is stored, exports and account deletion.
import "server-only";
import { z } from "zod";
import { verifyPassword } from "../../auth/password";
import { serializeClearedSessionCookie } from "../../auth/session-cookie";
import { findPasswordHash } from "../../data/auth/users";
import { deleteAllPushSubscriptions } from "../../data/chat/push-subscriptions";
import { listConsentHistory, listConsentStates, recordConsentDecision } from "../../data/consent/consent-ledger";
import { OPTIONAL_PURPOSE_NAMES } from "../../data/consent/purposes";
import { listAccessLog } from "../../data/privacy/access-log";
import { deactivateAccount } from "../../data/privacy/account-deletion";
import { listExports, requestExport } from "../../data/privacy/export-jobs";
import { forgetPresence } from "../../data/privacy/presence";
import { summarizeStoredData } from "../../data/privacy/stored-data-summary";
import { AppError } from "../../errors";
import { purgeAccountCompletely } from "../../jobs/sweep-privacy";
import { createTRPCRouter, protectedProcedure } from "../../trpc";
import { zUserText } from "../input-schemas";

const ZOptionalPurposeSchema = z.enum(OPTIONAL_PURPOSE_NAMES);

export const privacyRouter = createTRPCRouter({
  consents: protectedProcedure.query(({ ctx }) => listConsentStates({ actor: ctx.actor, purpose: "core.privacy" })),

  decide: protectedProcedure
    .input(z.object({ purpose: ZOptionalPurposeSchema, granted: z.boolean(), source: z.enum(["settings/privacy", "welcome"]) }))
    .mutation(async ({ ctx, input }) => {
      const { actor } = ctx;
      await recordConsentDecision({
        actor,
        purpose: "core.privacy",
        optionalPurpose: input.purpose,
        granted: input.granted,
        source: input.source,
        now: ctx.now(),
      });
      // Withdrawal takes effect at once: what only existed for the purpose goes with it.
      if (!input.granted && input.purpose === "presence_sharing") await forgetPresence({ userId: actor.userId, purpose: "core.privacy" });
      if (!input.granted && input.purpose === "push_notifications") await deleteAllPushSubscriptions({ actor, purpose: "core.privacy" });
      return { ok: true as const };
    }),

  history: protectedProcedure.query(({ ctx }) => listConsentHistory({ actor: ctx.actor, purpose: "core.privacy" })),

  accessLog: protectedProcedure
    .input(z.object({ filter: zUserText().max(50).nullish(), cursor: z.uuid().nullish() }))
    .query(({ ctx, input }) => listAccessLog({ actor: ctx.actor, purpose: "core.privacy", filter: input.filter, cursor: input.cursor })),

  storedData: protectedProcedure.query(({ ctx }) => summarizeStoredData({ actor: ctx.actor, purpose: "core.privacy" })),

  exports: protectedProcedure.query(({ ctx }) => listExports({ actor: ctx.actor, purpose: "core.privacy", now: ctx.now() })),

  requestExport: protectedProcedure.mutation(({ ctx }) => requestExport({ actor: ctx.actor, purpose: "core.privacy" })),

  /**
   * Deletes the account after the password is confirmed: deactivated at once (restorable by
   * logging in within 30 days), or purged at once with `now`.
   */
  deleteAccount: protectedProcedure
    .input(z.object({ password: z.string().min(1, { error: "password_required" }).max(256, { error: "password_too_long" }), now: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      const { actor } = ctx;
      if (!(await verifyPassword(await findPasswordHash({ actor, purpose: "core.security" }), input.password))) {
        throw new AppError("INVALID_CREDENTIALS", "That is not your password.", { field: "password" });
      }
      ctx.setCookie(serializeClearedSessionCookie());
      if (input.now) {
        await purgeAccountCompletely(actor.userId);
        return { purged: true as const, purgeAfter: null };
      }
      const { purgeAfter } = await deactivateAccount({ actor, purpose: "core.privacy", now: ctx.now() });
      return { purged: false as const, purgeAfter };
    }),
});
