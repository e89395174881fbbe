// Passkeys: adding (options, then the browser's answer), naming, listing and removing one's own,
// and logging in with one. Thin: each procedure validates and calls server/auth/passkeys.ts.
import "server-only";
import { z } from "zod";
import {
  listOwnPasskeys,
  logInWithPasskey,
  passkeyLogInOptions,
  passkeyRegistrationOptions,
  registerPasskey,
  removeOwnPasskey,
  renameOwnPasskey,
} from "../../auth/passkeys";
import { serializeSessionCookie } from "../../auth/session-cookie";
import { isLocale } from "@/app/_shared/isomorphic/locales";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../../trpc";
import { ZAccountProofSchema, ZAuthenticationResponseSchema, ZPasskeyNameSchema, ZRegistrationResponseSchema } from "./factor-schemas";

const ZPasskeyIdSchema = z.uuid({ error: "passkey_id_invalid" });

export const passkeysRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listOwnPasskeys({ actor: ctx.actor })),

  registrationOptions: protectedProcedure.mutation(({ ctx }) =>
    passkeyRegistrationOptions({
      actor: ctx.actor,
      sessionId: ctx.auth.session.id,
      handle: ctx.auth.account.handle,
      displayName: ctx.auth.account.displayName,
      now: ctx.now(),
    }),
  ),

  register: protectedProcedure.input(z.object({ response: ZRegistrationResponseSchema, name: ZPasskeyNameSchema })).mutation(async ({ ctx, input }) => {
    const { id } = await registerPasskey({ actor: ctx.actor, sessionId: ctx.auth.session.id, response: input.response, name: input.name, now: ctx.now() });
    return { id };
  }),

  rename: protectedProcedure.input(z.object({ id: ZPasskeyIdSchema, name: ZPasskeyNameSchema })).mutation(async ({ ctx, input }) => {
    await renameOwnPasskey({ actor: ctx.actor, id: input.id, name: input.name });
    return { ok: true as const };
  }),

  remove: protectedProcedure.input(z.object({ id: ZPasskeyIdSchema, proof: ZAccountProofSchema })).mutation(async ({ ctx, input }) => {
    await removeOwnPasskey({ actor: ctx.actor, id: input.id, proof: input.proof, now: ctx.now() });
    return { ok: true as const };
  }),

  logInOptions: publicProcedure.mutation(({ ctx }) => passkeyLogInOptions({ clientIp: ctx.clientIp, now: ctx.now() })),

  logIn: publicProcedure.input(z.object({ response: ZAuthenticationResponseSchema })).mutation(async ({ ctx, input }) => {
    const { token, expiresAt, locale, restored } = await logInWithPasskey({
      response: input.response,
      clientIp: ctx.clientIp,
      userAgent: ctx.userAgent,
      now: ctx.now(),
    });
    ctx.setCookie(serializeSessionCookie(token, expiresAt));
    if (isLocale(locale)) ctx.setLocaleCookie(locale);
    return { ok: true as const, restored };
  }),
});
