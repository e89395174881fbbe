// Accounts and sessions: thin procedures that validate, then call one function of server/auth.
import "server-only";
import { z } from "zod";
import { isLocale, locales } from "@/app/_shared/isomorphic/locales";
import { ZEmailSchema, ZHandleSchema, ZNewPasswordSchema, ZPasswordInputSchema } from "../../auth/account-fields";
import { requestEmailChange, cancelEmailChange } from "../../auth/change-email";
import { changePassword } from "../../auth/change-password";
import { followVerificationLink, resendVerification } from "../../auth/email-verification";
import { logIn } from "../../auth/log-in";
import { requestPasswordReset, resetPassword } from "../../auth/password-reset";
import { requestLocale } from "../../auth/request-locale";
import { serializeClearedSessionCookie, serializeSessionCookie } from "../../auth/session-cookie";
import { signUp } from "../../auth/sign-up";
import { person } from "../../data/actor";
import { deleteOtherSessions, deleteSession, listSessions } from "../../data/auth/sessions";
import { findAccountAddress, setUserLocale } from "../../data/auth/users";
import { mailConfigured } from "../../mail/send-mail";
import { AppError } from "../../errors";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../../trpc";
import { zUserText } from "../input-schemas";
import { passkeysRouter } from "./passkeys-router";
import { twoFactorRouter } from "./two-factor-router";

const ZLocaleSchema = z.enum(locales);
/** Log-in's first field: an email or a handle (server/auth/log-in.ts tells them apart). */
const ZLogInIdentifierSchema = zUserText({ missing: "identifier_required" })
  .trim()
  .min(1, { error: "identifier_required" })
  .max(254, { error: "identifier_invalid" });
/** A mailed link's token (server/auth/account-token.ts). */
const ZAccountTokenSchema = z.string({ error: "link_invalid" }).regex(/^[a-z2-7]{32}$/, { error: "link_invalid" });
const ZSessionIdSchema = z.string().regex(/^[0-9a-f]{64}$/, { error: "session_id_invalid" });

export const authRouter = createTRPCRouter({
  me: publicProcedure.query(({ ctx }) => {
    if (!ctx.auth) return null;
    const { id: userId, handle, displayName, locale } = ctx.auth.account;
    return { userId, handle, displayName, locale };
  }),

  signUp: publicProcedure
    .input(
      z.object({
        handle: ZHandleSchema,
        email: ZEmailSchema,
        password: ZNewPasswordSchema,
        locale: ZLocaleSchema.nullable().default(null),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { account, token, expiresAt } = await signUp({
        ...input,
        requestLocale: requestLocale(ctx.headers),
        clientIp: ctx.clientIp,
        userAgent: ctx.userAgent,
      });
      ctx.setCookie(serializeSessionCookie(token, expiresAt));
      return { handle: account.handle };
    }),

  /** A session, or (with two-factor on) a token for auth.twoFactor.logIn and no session yet. */
  logIn: publicProcedure.input(z.object({ identifier: ZLogInIdentifierSchema, password: ZPasswordInputSchema })).mutation(async ({ ctx, input }) => {
    const result = await logIn({ ...input, clientIp: ctx.clientIp, userAgent: ctx.userAgent, now: ctx.now() });
    if (result.outcome === "second_factor") return { ok: false as const, secondFactor: true as const, pendingToken: result.pendingToken };
    ctx.setCookie(serializeSessionCookie(result.token, result.expiresAt));
    if (isLocale(result.locale)) ctx.setLocaleCookie(result.locale);
    return { ok: true as const, restored: result.restored };
  }),

  passkeys: passkeysRouter,
  twoFactor: twoFactorRouter,

  logOut: protectedProcedure.mutation(async ({ ctx }) => {
    await deleteSession({ actor: ctx.actor, purpose: "core.sessions", sessionId: ctx.auth.session.id });
    ctx.setCookie(serializeClearedSessionCookie());
    return { ok: true as const };
  }),

  /** Sets the UI language: a cookie for this browser, and the account's preference when signed in. */
  setLocale: publicProcedure.input(z.object({ locale: ZLocaleSchema.nullable() })).mutation(async ({ ctx, input }) => {
    ctx.setLocaleCookie(input.locale);
    if (ctx.auth) {
      await setUserLocale({ actor: person(ctx.auth.account.id), purpose: "core.account", locale: input.locale });
    }
    return { locale: input.locale };
  }),

  /** Follows a verification link (no session needed: holding the mail is the proof). */
  verifyEmail: publicProcedure.input(z.object({ token: ZAccountTokenSchema })).mutation(async ({ ctx, input }) => {
    const { changed } = await followVerificationLink({ token: input.token, clientIp: ctx.clientIp, now: ctx.now() });
    return { changed };
  }),

  passwordReset: createTRPCRouter({
    /** Answers the same whether or not the address has an account; a verified one gets a link. */
    request: publicProcedure.input(z.object({ email: ZEmailSchema })).mutation(async ({ ctx, input }) => {
      await requestPasswordReset({ email: input.email, clientIp: ctx.clientIp, requestLocale: requestLocale(ctx.headers), now: ctx.now() });
      return { ok: true as const };
    }),

    complete: publicProcedure.input(z.object({ token: ZAccountTokenSchema, newPassword: ZNewPasswordSchema })).mutation(async ({ ctx, input }) => {
      const { token, expiresAt } = await resetPassword({
        token: input.token,
        newPassword: input.newPassword,
        clientIp: ctx.clientIp,
        userAgent: ctx.userAgent,
        now: ctx.now(),
      });
      ctx.setCookie(serializeSessionCookie(token, expiresAt));
      return { ok: true as const };
    }),
  }),

  account: createTRPCRouter({
    /** The address section of the settings: never another account's address, never a token. */
    get: protectedProcedure.query(async ({ ctx }) => {
      const account = await findAccountAddress({ actor: ctx.actor, purpose: "core.account" });
      return { email: account.email, emailVerified: account.emailVerifiedAt !== null, pendingEmail: account.pendingEmail, mailEnabled: mailConfigured() };
    }),

    resendVerification: protectedProcedure.mutation(async ({ ctx }) => {
      await resendVerification({ actor: ctx.actor, requestLocale: requestLocale(ctx.headers) });
      return { ok: true as const };
    }),

    changeEmail: protectedProcedure.input(z.object({ newEmail: ZEmailSchema, currentPassword: ZPasswordInputSchema })).mutation(async ({ ctx, input }) => {
      await requestEmailChange({
        actor: ctx.actor,
        password: input.currentPassword,
        newEmail: input.newEmail,
        requestLocale: requestLocale(ctx.headers),
        now: ctx.now(),
      });
      return { ok: true as const };
    }),

    cancelEmailChange: protectedProcedure.mutation(async ({ ctx }) => {
      await cancelEmailChange({ actor: ctx.actor });
      return { ok: true as const };
    }),

    changePassword: protectedProcedure
      .input(z.object({ currentPassword: ZPasswordInputSchema, newPassword: ZNewPasswordSchema, endOtherSessions: z.boolean() }))
      .mutation(async ({ ctx, input }) => {
        const { endedSessions } = await changePassword({ actor: ctx.actor, sessionId: ctx.auth.session.id, ...input, now: ctx.now() });
        return { endedSessions };
      }),
  }),

  sessions: createTRPCRouter({
    list: protectedProcedure.query(async ({ ctx }) => {
      const sessions = await listSessions({
        actor: ctx.actor,
        purpose: "core.sessions",
        now: new Date(),
      });
      return sessions.map((s) => ({
        id: s.id,
        deviceLabel: s.deviceLabel,
        createdAt: s.createdAt,
        lastUsedAt: s.lastUsedAt,
        current: s.id === ctx.auth.session.id,
      }));
    }),

    revoke: protectedProcedure.input(z.object({ id: ZSessionIdSchema })).mutation(async ({ ctx, input }) => {
      const deleted = await deleteSession({ actor: ctx.actor, purpose: "core.sessions", sessionId: input.id });
      if (!deleted) throw new AppError("NOT_FOUND", "No such session.");
      if (input.id === ctx.auth.session.id) ctx.setCookie(serializeClearedSessionCookie());
      return { ok: true as const };
    }),

    revokeOthers: protectedProcedure.mutation(async ({ ctx }) => {
      const revoked = await deleteOtherSessions({
        actor: ctx.actor,
        purpose: "core.sessions",
        keepSessionId: ctx.auth.session.id,
      });
      return { revoked };
    }),
  }),
});
