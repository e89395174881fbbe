// Two-factor authentication: status, enrolment (a key, then the first code), recovery codes,
// turning it off, and the second step of a password log-in. Thin: server/auth/two-factor.ts and log-in.ts.
import "server-only";
import { z } from "zod";
import { isLocale } from "@/app/_shared/isomorphic/locales";
import { completeTwoFactorLogIn } from "../../auth/log-in";
import { serializeSessionCookie } from "../../auth/session-cookie";
import { beginTwoFactorEnrolment, confirmTwoFactorEnrolment, regenerateRecoveryCodes, turnOffTwoFactor, twoFactorStatus } from "../../auth/two-factor";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../../trpc";
import { ZAccountProofSchema, ZPendingLogInTokenSchema, ZSecondFactorCodeSchema } from "./factor-schemas";

export const twoFactorRouter = createTRPCRouter({
  status: protectedProcedure.query(({ ctx }) => twoFactorStatus({ actor: ctx.actor })),

  /** A new key, as text and as the otpauth:// URI for a QR code; two-factor stays off until `confirm`. */
  begin: protectedProcedure.mutation(({ ctx }) => beginTwoFactorEnrolment({ actor: ctx.actor, accountName: `@${ctx.auth.account.handle}` })),

  confirm: protectedProcedure
    .input(z.object({ code: ZSecondFactorCodeSchema }))
    .mutation(({ ctx, input }) => confirmTwoFactorEnrolment({ actor: ctx.actor, code: input.code, now: ctx.now() })),

  regenerateRecoveryCodes: protectedProcedure
    .input(z.object({ proof: ZAccountProofSchema }))
    .mutation(({ ctx, input }) => regenerateRecoveryCodes({ actor: ctx.actor, proof: input.proof, now: ctx.now() })),

  disable: protectedProcedure.input(z.object({ proof: ZAccountProofSchema })).mutation(async ({ ctx, input }) => {
    await turnOffTwoFactor({ actor: ctx.actor, proof: input.proof, now: ctx.now() });
    return { ok: true as const };
  }),

  /** The second step of a password log-in: a code from the app, or a recovery code. */
  logIn: publicProcedure.input(z.object({ pendingToken: ZPendingLogInTokenSchema, code: ZSecondFactorCodeSchema })).mutation(async ({ ctx, input }) => {
    const { token, expiresAt, locale, restored, usedRecoveryCode } = await completeTwoFactorLogIn({
      pendingToken: input.pendingToken,
      code: input.code,
      clientIp: ctx.clientIp,
      userAgent: ctx.userAgent,
      now: ctx.now(),
    });
    ctx.setCookie(serializeSessionCookie(token, expiresAt));
    if (isLocale(locale)) ctx.setLocaleCookie(locale);
    return { ok: true as const, restored, usedRecoveryCode };
  }),
});
