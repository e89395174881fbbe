// Accounts and sessions: thin procedures that validate, then call one function of server/auth.
import "server-only";
import { z } from "zod";
import { isLocale, locales } from "@/app/_shared/isomorphic/locales";
import { ZEmailSchema, ZHandleSchema, ZNewPasswordSchema, ZPasswordInputSchema } from "../../auth/account-fields";
import { logIn } from "../../auth/log-in";
import { serializeClearedSessionCookie, serializeSessionCookie } from "../../auth/session-cookie";
import { signUp } from "../../auth/sign-up";
import { person } from "../../data/actor";
import { deleteOtherSessions, deleteSession, listSessions } from "../../data/auth/sessions";
import { setUserLocale } from "../../data/auth/users";
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
      const { account, token, expiresAt } = await signUp({ ...input, clientIp: ctx.clientIp, userAgent: ctx.userAgent });
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
