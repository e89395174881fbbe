// The chat module's delivery API: devices and their public keys, signed device lists, and sealed
// envelopes (send, stream, acknowledge). Thin: zod at the edge, then one server/data/chat function.
// The server stores and forwards opaque bytes; nothing here can read a message or learn its sender
// from what it stores.
import "server-only";
import { z } from "zod";
import { rateLimitRules, enforceRateLimit } from "../../auth/rate-limits";
import { person } from "../../data/actor";
import { requireOwnDevice } from "../../data/chat/access";
import { getDeviceList, MAX_DEVICE_LIST_BYTES, publishDeviceList } from "../../data/chat/device-lists";
import { listOwnDevices, registerDevice, revokeDevice } from "../../data/chat/devices";
import { acknowledgeEnvelopes, enqueueEnvelopes, MAX_ENVELOPES_PER_BATCH, MAX_EXPIRES_IN_SECONDS, MAX_PENDING_PAGE } from "../../data/chat/envelopes";
import { countPreKeys, fetchPreKeyBundles, publishPreKeys } from "../../data/chat/prekeys";
import { createTRPCRouter, protectedProcedure } from "../../trpc";
import { streamEnvelopes } from "./envelope-stream";
import {
  toBase64Url,
  zBytes,
  ZEnvelopePayloadSchema,
  ZIdentityKeySchema,
  ZIdSchema,
  ZKyberPreKeySchema,
  ZKyberPreKeysSchema,
  ZOneTimePreKeysSchema,
  ZSignedPreKeySchema,
} from "./schemas";

const purpose = "core.messaging" as const;
const ZHandleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_]{1,30}$/, { error: "handle_invalid_characters" });
const ZDeviceSchema = z.object({ deviceId: ZIdSchema });

const devicesRouter = createTRPCRouter({
  register: protectedProcedure
    .input(
      z.object({
        identityKey: ZIdentityKeySchema,
        linkSignature: zBytes({ min: 1, max: 1024 }).nullish(),
        signedPreKey: ZSignedPreKeySchema,
        lastResortKyberPreKey: ZKyberPreKeySchema,
        oneTimePreKeys: ZOneTimePreKeysSchema.default([]),
        kyberPreKeys: ZKyberPreKeysSchema.default([]),
      }),
    )
    .mutation(({ ctx, input }) =>
      registerDevice({ actor: person(ctx.auth.account.id), purpose, ...input, linkSignature: input.linkSignature ?? null, now: ctx.now() }),
    ),

  list: protectedProcedure.query(async ({ ctx }) => {
    const devices = await listOwnDevices({ actor: person(ctx.auth.account.id), purpose });
    return devices.map((d) => ({ ...d, identityKey: toBase64Url(d.identityKey) }));
  }),

  revoke: protectedProcedure.input(ZDeviceSchema).mutation(async ({ ctx, input }) => {
    await revokeDevice({ actor: person(ctx.auth.account.id), purpose, deviceRowId: input.deviceId, now: ctx.now() });
    return { ok: true as const };
  }),
});

const prekeysRouter = createTRPCRouter({
  publish: protectedProcedure
    .input(
      ZDeviceSchema.extend({
        signedPreKey: ZSignedPreKeySchema.nullish(),
        lastResortKyberPreKey: ZKyberPreKeySchema.nullish(),
        oneTimePreKeys: ZOneTimePreKeysSchema.default([]),
        kyberPreKeys: ZKyberPreKeysSchema.default([]),
      }),
    )
    .mutation(({ ctx, input }) =>
      publishPreKeys({
        actor: person(ctx.auth.account.id),
        purpose,
        deviceRowId: input.deviceId,
        signedPreKey: input.signedPreKey ?? null,
        lastResortKyberPreKey: input.lastResortKyberPreKey ?? null,
        oneTimePreKeys: input.oneTimePreKeys,
        kyberPreKeys: input.kyberPreKeys,
        now: ctx.now(),
      }),
    ),

  count: protectedProcedure
    .input(ZDeviceSchema)
    .query(({ ctx, input }) => countPreKeys({ actor: person(ctx.auth.account.id), purpose, deviceRowId: input.deviceId })),
});

const bundlesRouter = createTRPCRouter({
  /**
   * Claims one-time prekeys, so it is a mutation (never refetched or cached by the client) and is
   * rate-limited like sending.
   */
  forUser: protectedProcedure.input(z.object({ handle: ZHandleSchema })).mutation(async ({ ctx, input }) => {
    await enforceRateLimit(rateLimitRules.messagesPerAccount, `bundles:${ctx.auth.account.id}`);
    const { userId, devices } = await fetchPreKeyBundles({ actor: person(ctx.auth.account.id), purpose, handle: input.handle });
    return {
      userId,
      devices: devices.map((d) => ({
        id: d.id,
        deviceId: d.deviceId,
        identityKey: toBase64Url(d.identityKey),
        signedPreKey: { keyId: d.signedPreKey.keyId, publicKey: toBase64Url(d.signedPreKey.publicKey), signature: toBase64Url(d.signedPreKey.signature) },
        kyberPreKey: {
          keyId: d.kyberPreKey.keyId,
          publicKey: toBase64Url(d.kyberPreKey.publicKey),
          signature: toBase64Url(d.kyberPreKey.signature),
          lastResort: d.kyberPreKey.lastResort,
        },
        oneTimePreKey: d.oneTimePreKey ? { keyId: d.oneTimePreKey.keyId, publicKey: toBase64Url(d.oneTimePreKey.publicKey) } : null,
      })),
    };
  }),
});

const deviceListRouter = createTRPCRouter({
  publish: protectedProcedure
    .input(z.object({ version: z.number().int().min(1).max(0x7fff_ffff), signedList: zBytes({ min: 1, max: MAX_DEVICE_LIST_BYTES }) }))
    .mutation(({ ctx, input }) => publishDeviceList({ actor: person(ctx.auth.account.id), purpose, ...input, now: ctx.now() })),

  get: protectedProcedure.input(z.object({ handle: ZHandleSchema })).query(async ({ ctx, input }) => {
    const list = await getDeviceList({ actor: person(ctx.auth.account.id), purpose, handle: input.handle });
    return list ? { version: list.version, signedList: toBase64Url(list.signedList), updatedAt: list.updatedAt } : null;
  }),
});

const envelopesRouter = createTRPCRouter({
  /** One message, one envelope per recipient device; retrying with the same clientMessageId stores nothing new. */
  send: protectedProcedure
    .input(
      z.object({
        clientMessageId: ZIdSchema,
        envelopes: z
          .array(
            z.object({
              deviceId: ZIdSchema,
              payload: ZEnvelopePayloadSchema,
              expiresInSeconds: z.number().int().min(1).max(MAX_EXPIRES_IN_SECONDS).nullish(),
            }),
          )
          .min(1)
          .max(MAX_ENVELOPES_PER_BATCH, { error: "too_many_devices" })
          .refine((list) => new Set(list.map((e) => e.deviceId)).size === list.length, { error: "devices_not_unique" }),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await enforceRateLimit(rateLimitRules.messagesPerAccount, ctx.auth.account.id);
      return enqueueEnvelopes({
        actor: person(ctx.auth.account.id),
        purpose,
        clientMessageId: input.clientMessageId,
        envelopes: input.envelopes.map((e) => ({ recipientDeviceId: e.deviceId, payload: e.payload, expiresInSeconds: e.expiresInSeconds ?? null })),
        now: ctx.now(),
      });
    }),

  /** Deletes delivered envelopes of the caller's own devices; other ids are ignored. */
  ack: protectedProcedure
    .input(z.object({ ids: z.array(ZIdSchema).min(1).max(MAX_PENDING_PAGE) }))
    .mutation(({ ctx, input }) => acknowledgeEnvelopes({ actor: person(ctx.auth.account.id), purpose, ids: input.ids })),

  /** SSE: pending envelopes after lastEventId, then new ones as they arrive. */
  stream: protectedProcedure
    .input(z.object({ deviceId: ZIdSchema, lastEventId: ZIdSchema.nullish() }))
    .subscription(async ({ ctx, input, signal }) => {
      // Checked before the stream starts, so a refusal is an ordinary FORBIDDEN response.
      await requireOwnDevice({ actor: person(ctx.auth.account.id), purpose, deviceRowId: input.deviceId });
      return streamEnvelopes({ userId: ctx.auth.account.id, deviceRowId: input.deviceId, lastEventId: input.lastEventId ?? null, signal, now: ctx.now });
    }),
});

export const chatRouter = createTRPCRouter({
  devices: devicesRouter,
  prekeys: prekeysRouter,
  bundles: bundlesRouter,
  deviceList: deviceListRouter,
  envelopes: envelopesRouter,
});
