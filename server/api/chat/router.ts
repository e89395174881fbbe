// The chat module's delivery API: devices and their public keys, signed device lists, sealed
// envelopes (send, stream, acknowledge), encrypted attachments, the device-link relay, the
// local-storage secret, backup status and the chat's directory of people. Thin: zod at the edge,
// then one server/data/chat function. The server stores and forwards opaque bytes; nothing here
// can read a message or learn its sender from what it stores.
import "server-only";
import { z } from "zod";
import { rateLimitRules, enforceRateLimit, enforceRateLimits } from "../../auth/rate-limits";
import { blockChatPeer, type ChatPeerRef, requireOwnDevice } from "../../data/chat/access";
import {
  attachmentQuota,
  createAttachmentUpload,
  MAX_ATTACHMENT_CIPHERTEXT_BYTES,
  MAX_ATTACHMENT_PART_BYTES,
  MAX_ATTACHMENT_RECIPIENTS,
  markAttachmentFetched,
} from "../../data/chat/attachments";
import { listBackupStatus } from "../../data/chat/backups";
import { getDeviceList, MAX_DEVICE_LIST_BYTES, publishDeviceList } from "../../data/chat/device-lists";
import {
  closeLinkSlot,
  getLinkSlot,
  MAX_LINK_REQUEST_BYTES,
  MAX_LINK_RESPONSE_BYTES,
  openLinkSlot,
  postLinkRequest,
  postLinkResponse,
} from "../../data/chat/device-links";
import { listOwnDevices, registerDevice, revokeDevice } from "../../data/chat/devices";
import {
  findChatPeopleByIds,
  findChatPersonByHandle,
  listFollowedAmong,
  listFollowedChatPeople,
  MAX_DIRECTORY_IDS,
  MAX_DIRECTORY_PAGE,
  MAX_SUGGESTIONS,
  suggestChatPeople,
} from "../../data/chat/directory";
import { acknowledgeEnvelopes, enqueueEnvelopes, MAX_ENVELOPES_PER_BATCH, MAX_EXPIRES_IN_SECONDS, MAX_PENDING_PAGE } from "../../data/chat/envelopes";
import { countPreKeys, fetchPreKeyBundles, publishPreKeys } from "../../data/chat/prekeys";
import { createMessageReport } from "../../data/chat/message-reports";
import { getOrCreateStorageSecret } from "../../data/chat/storage-secrets";
import { deleteOwnPushSubscription, hasOwnPushSubscription, saveOwnPushSubscription } from "../../data/chat/push-subscriptions";
import { locales } from "@/app/_shared/isomorphic/locales";
import { TIMESTAMP_RANGE } from "../../data/postgres-values";
import { ZReportNoteSchema, ZReportReasonSchema } from "../input-schemas";
import { toBase64Url } from "@/app/_shared/isomorphic/base64url";
import { createTRPCRouter, protectedProcedure } from "../../trpc";
import { zUserText } from "../input-schemas";
import { streamEnvelopes } from "./envelope-stream";
import { isAllowedPushEndpoint, wakeOfflineDevices } from "./push-wakeups";
import { vapidKeys } from "./vapid-keys";
import {
  MAX_DEVICE_IDS_PER_PERSON,
  zBytes,
  zDeviceRowIds,
  ZEnvelopePayloadSchema,
  ZFranking32Schema,
  ZHandleSchema,
  ZIdentityKeySchema,
  ZIdSchema,
  ZKyberPreKeySchema,
  ZKyberPreKeysSchema,
  ZLinkLookupIdSchema,
  ZOneTimePreKeysSchema,
  ZPeerSchema,
  ZSignedPreKeySchema,
} from "./schemas";

const purpose = "core.messaging" as const;
/** The chat's longest text (app/_chat/engine/chat-content.ts, MAX_TEXT_LENGTH). */
const MAX_REPORTED_TEXT_LENGTH = 4000;
/** One of the caller's devices, by its row id (`deviceId` is only ever the device number of protocol addresses). */
const ZDeviceSchema = z.object({ deviceRowId: ZIdSchema });

/** The data layer's peer reference from a validated ZPeerSchema input. */
function peerOf(input: { handle: string; userId?: undefined } | { userId: string; handle?: undefined }): ChatPeerRef {
  return input.handle !== undefined ? { handle: input.handle } : { userId: input.userId };
}

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
    .mutation(({ ctx, input }) => registerDevice({ actor: ctx.actor, purpose, ...input, linkSignature: input.linkSignature ?? null, now: ctx.now() })),

  list: protectedProcedure.query(async ({ ctx }) => {
    const devices = await listOwnDevices({ actor: ctx.actor, purpose });
    return devices.map((d) => ({ ...d, identityKey: toBase64Url(d.identityKey) }));
  }),

  revoke: protectedProcedure.input(ZDeviceSchema).mutation(async ({ ctx, input }) => {
    await revokeDevice({ actor: ctx.actor, purpose, deviceRowId: input.deviceRowId, now: ctx.now() });
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
        actor: ctx.actor,
        purpose,
        deviceRowId: input.deviceRowId,
        signedPreKey: input.signedPreKey ?? null,
        lastResortKyberPreKey: input.lastResortKyberPreKey ?? null,
        oneTimePreKeys: input.oneTimePreKeys,
        kyberPreKeys: input.kyberPreKeys,
        now: ctx.now(),
      }),
    ),

  count: protectedProcedure.input(ZDeviceSchema).query(({ ctx, input }) => countPreKeys({ actor: ctx.actor, purpose, deviceRowId: input.deviceRowId })),
});

const bundlesRouter = createTRPCRouter({
  /**
   * Claims one-time prekeys, so it is a mutation (never refetched or cached by the client) and is
   * rate-limited like sending.
   */
  forUser: protectedProcedure
    .input(
      ZPeerSchema.and(
        z.object({
          /** Only these devices' bundles (and one-time keys), by row id: those the client has no session with yet. */
          deviceRowIds: z.array(ZIdSchema).min(1, { error: "device_ids_empty" }).max(MAX_DEVICE_IDS_PER_PERSON, { error: "too_many_devices" }).optional(),
        }),
      ),
    )
    .mutation(async ({ ctx, input }) => {
      await enforceRateLimit(rateLimitRules.messagesPerAccount, `bundles:${ctx.auth.account.id}`, ctx.now());
      const { userId, devices } = await fetchPreKeyBundles({
        actor: ctx.actor,
        purpose,
        peer: peerOf(input),
        deviceRowIds: input.deviceRowIds ?? null,
      });
      return {
        userId,
        devices: devices.map((d) => ({
          rowId: d.rowId,
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
    .mutation(({ ctx, input }) => publishDeviceList({ actor: ctx.actor, purpose, ...input, now: ctx.now() })),

  get: protectedProcedure.input(ZPeerSchema).query(async ({ ctx, input }) => {
    const list = await getDeviceList({ actor: ctx.actor, purpose, peer: peerOf(input) });
    return list ? { version: list.version, signedList: toBase64Url(list.signedList), updatedAt: list.updatedAt } : null;
  }),
});

const envelopesRouter = createTRPCRouter({
  /**
   * One message, one envelope per recipient device; retrying with the same clientMessageId stores
   * nothing new. A group message sets `group`: envelopes to people who blocked the sender, or whom
   * the sender blocked, are then left out instead of refusing the batch, and the answer lists
   * only the envelopes stored.
   */
  send: protectedProcedure
    .input(
      z.object({
        clientMessageId: ZIdSchema,
        group: z.boolean().optional(),
        envelopes: z
          .array(
            z.object({
              deviceRowId: ZIdSchema,
              payload: ZEnvelopePayloadSchema,
              expiresInSeconds: z.number().int().min(1).max(MAX_EXPIRES_IN_SECONDS).nullish(),
              /** The message's franking commitment, bound here to the sender (docs/e2ee-protocol.md, "Message franking"). */
              commitment: ZFranking32Schema.nullish(),
            }),
          )
          .min(1)
          .max(MAX_ENVELOPES_PER_BATCH, { error: "too_many_devices" })
          .refine((list) => new Set(list.map((e) => e.deviceRowId)).size === list.length, { error: "devices_not_unique" }),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      // Both limits in one statement: this runs for every message (docs/benchmarks.md, "Chat delivery").
      await enforceRateLimits(
        [
          { rule: rateLimitRules.messagesPerAccount, subject: ctx.auth.account.id },
          { rule: rateLimitRules.envelopesPerAccount, subject: ctx.auth.account.id, cost: input.envelopes.length },
        ],
        ctx.now(),
      );
      const result = await enqueueEnvelopes({
        actor: ctx.actor,
        purpose,
        clientMessageId: input.clientMessageId,
        group: input.group ?? false,
        envelopes: input.envelopes.map((e) => ({
          recipientDeviceRowId: e.deviceRowId,
          payload: e.payload,
          expiresInSeconds: e.expiresInSeconds ?? null,
          commitment: e.commitment ?? null,
        })),
        now: ctx.now(),
      });
      // After the answer's work, not before it: a slow push service never delays a send.
      void wakeOfflineDevices({ devices: result.wakeable, now: ctx.now() });
      return { envelopes: result.envelopes };
    }),

  /** Deletes delivered envelopes of the caller's own devices; other ids are ignored. */
  ack: protectedProcedure
    .input(z.object({ ids: z.array(ZIdSchema).min(1).max(MAX_PENDING_PAGE) }))
    .mutation(({ ctx, input }) => acknowledgeEnvelopes({ actor: ctx.actor, purpose, ids: input.ids })),

  /** SSE: pending envelopes after lastEventId, then new ones as they arrive. */
  stream: protectedProcedure.input(ZDeviceSchema.extend({ lastEventId: ZIdSchema.nullish() })).subscription(async ({ ctx, input, signal }) => {
    // Checked before the stream starts, so a refusal is an ordinary FORBIDDEN response.
    await requireOwnDevice({ actor: ctx.actor, purpose, deviceRowId: input.deviceRowId });
    return streamEnvelopes({ userId: ctx.auth.account.id, deviceRowId: input.deviceRowId, lastEventId: input.lastEventId ?? null, signal, now: ctx.now });
  }),
});

const ZAttachmentDeviceSchema = z.object({ id: ZIdSchema, deviceRowId: ZIdSchema });

/**
 * Encrypted attachments. The bytes travel through /api/chat/attachments/[id], a route handler:
 * PATCH parts of at most `maxPartBytes` from the offset HEAD reports, GET (with Range) to download.
 */
const attachmentsRouter = createTRPCRouter({
  /**
   * Begins an upload of `size` ciphertext bytes for the listed devices (the recipients' and one's
   * own other devices; devices of people blocked either way are left out).
   */
  create: protectedProcedure
    .input(
      z.object({
        size: z.number().int().min(1).max(MAX_ATTACHMENT_CIPHERTEXT_BYTES, { error: "attachment_too_large" }),
        recipientDeviceRowIds: zDeviceRowIds(MAX_ATTACHMENT_RECIPIENTS),
        /** A disappearing message's file: the server deletes it then, fetched or not. */
        expiresInSeconds: z.number().int().min(1).max(MAX_EXPIRES_IN_SECONDS).nullish(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await enforceRateLimit(rateLimitRules.attachmentsPerAccount, ctx.auth.account.id, ctx.now());
      const { id } = await createAttachmentUpload({ actor: ctx.actor, purpose, ...input, now: ctx.now() });
      return { id, maxPartBytes: MAX_ATTACHMENT_PART_BYTES };
    }),

  /** One of the caller's devices has the attachment; the blob goes once every recipient device has it. */
  fetched: protectedProcedure.input(ZAttachmentDeviceSchema).mutation(async ({ ctx, input }) => {
    await markAttachmentFetched({ actor: ctx.actor, purpose, id: input.id, deviceRowId: input.deviceRowId, now: ctx.now() });
    return { ok: true as const };
  }),

  /** Bytes held by the caller's attachments not yet delivered to everyone, and the most they may hold. */
  quota: protectedProcedure.query(({ ctx }) => attachmentQuota({ actor: ctx.actor, purpose })),
});

const storageRouter = createTRPCRouter({
  /** The account's local-storage secret (32 bytes), made on the first call. A mutation: it may write, and is never cached. */
  secret: protectedProcedure.mutation(async ({ ctx }) => {
    const secret = await getOrCreateStorageSecret({ actor: ctx.actor, purpose, now: ctx.now() });
    return { secret: toBase64Url(secret) };
  }),
});

const ZLinkSlotSchema = z.object({ lookupId: ZLinkLookupIdSchema });

/** The device-link relay. Every procedure serves only the account that opened the slot; to any other it is NOT_FOUND. */
const linkRouter = createTRPCRouter({
  /** The existing device opens a slot for 10 minutes. */
  open: protectedProcedure.input(ZLinkSlotSchema).mutation(async ({ ctx, input }) => {
    await enforceRateLimit(rateLimitRules.deviceLinksPerAccount, ctx.auth.account.id, ctx.now());
    return openLinkSlot({ actor: ctx.actor, purpose, lookupId: input.lookupId, now: ctx.now() });
  }),

  /** The new device posts its sealed request, once. */
  request: protectedProcedure.input(ZLinkSlotSchema.extend({ request: zBytes({ min: 1, max: MAX_LINK_REQUEST_BYTES }) })).mutation(async ({ ctx, input }) => {
    await postLinkRequest({ actor: ctx.actor, purpose, lookupId: input.lookupId, request: input.request, now: ctx.now() });
    return { ok: true as const };
  }),

  /** The existing device posts its sealed response, once, after the request. */
  respond: protectedProcedure.input(ZLinkSlotSchema.extend({ response: zBytes({ min: 1, max: MAX_LINK_RESPONSE_BYTES }) })).mutation(async ({ ctx, input }) => {
    await postLinkResponse({ actor: ctx.actor, purpose, lookupId: input.lookupId, response: input.response, now: ctx.now() });
    return { ok: true as const };
  }),

  /** What the slot holds so far; both devices poll it. */
  get: protectedProcedure.input(ZLinkSlotSchema).query(async ({ ctx, input }) => {
    const slot = await getLinkSlot({ actor: ctx.actor, purpose, lookupId: input.lookupId, now: ctx.now() });
    return {
      request: slot.request ? toBase64Url(slot.request) : null,
      response: slot.response ? toBase64Url(slot.response) : null,
      expiresAt: slot.expiresAt,
    };
  }),

  close: protectedProcedure.input(ZLinkSlotSchema).mutation(async ({ ctx, input }) => {
    await closeLinkSlot({ actor: ctx.actor, purpose, lookupId: input.lookupId });
    return { ok: true as const };
  }),
});

const backupKindNames = { recovery_key: "recoveryKey", passphrase: "passphrase" } as const;

/** The blobs themselves travel through /api/chat/backup/[kind], a route handler, not tRPC. */
const backupRouter = createTRPCRouter({
  status: protectedProcedure.query(async ({ ctx }) => {
    const stored = await listBackupStatus({ actor: ctx.actor, purpose });
    return stored.map((b) => ({ kind: backupKindNames[b.kind], version: b.version, bytes: b.bytes, updatedAt: b.updatedAt }));
  }),
});

const directoryRouter = createTRPCRouter({
  byHandle: protectedProcedure
    .input(z.object({ handle: ZHandleSchema }))
    .query(({ ctx, input }) => findChatPersonByHandle({ actor: ctx.actor, purpose, handle: input.handle })),

  /** Those of `userIds` the caller may see; the others are left out. */
  byIds: protectedProcedure
    .input(z.object({ userIds: z.array(ZIdSchema).min(1, { error: "user_ids_empty" }).max(MAX_DIRECTORY_IDS, { error: "too_many_user_ids" }) }))
    .query(({ ctx, input }) => findChatPeopleByIds({ actor: ctx.actor, purpose, userIds: input.userIds })),

  /** The people the caller follows, by handle, for the "new message" picker. */
  following: protectedProcedure
    .input(
      z
        .object({
          /** The `nextCursor` of the previous page. */
          cursor: z
            .string()
            .regex(/^[a-z0-9_]{1,30}$/, { error: "cursor_invalid" })
            .nullish(),
          limit: z.number().int().min(1).max(MAX_DIRECTORY_PAGE).default(30),
        })
        .prefault({}),
    )
    .query(({ ctx, input }) => listFollowedChatPeople({ actor: ctx.actor, purpose, after: input.cursor ?? null, limit: input.limit })),

  /** People the caller follows matching what is typed in "new message" (asked as they type: rate-limited). */
  suggest: protectedProcedure
    .input(
      z.object({
        query: zUserText().max(64, { error: "query_too_long" }),
        limit: z.number().int().min(1).max(MAX_SUGGESTIONS).default(8),
      }),
    )
    .query(async ({ ctx, input }) => {
      await enforceRateLimit(rateLimitRules.chatSuggestionsPerAccount, ctx.auth.account.id, ctx.now());
      return suggestChatPeople({ actor: ctx.actor, purpose, query: input.query, limit: input.limit });
    }),

  /**
   * Which of `userIds` the caller follows: a first message from anyone else is a message request.
   * Rate-limited like sending (the engine caches the answer), so it cannot be used to sweep.
   */
  followed: protectedProcedure
    .input(z.object({ userIds: z.array(ZIdSchema).min(1, { error: "user_ids_empty" }).max(MAX_DIRECTORY_IDS, { error: "too_many_user_ids" }) }))
    .query(async ({ ctx, input }) => {
      await enforceRateLimit(rateLimitRules.messagesPerAccount, `followed:${ctx.auth.account.id}`, ctx.now());
      return { userIds: await listFollowedAmong({ actor: ctx.actor, purpose, userIds: input.userIds }) };
    }),
});

/** A time in ms since 1970 that PostgreSQL's timestamptz can hold. */
const ZMillisecondsSchema = z.number().int().min(0).max(TIMESTAMP_RANGE.max.getTime(), { error: "date_out_of_range" });

const reportsRouter = createTRPCRouter({
  /**
   * Reveals one received message to the operators, with its franking proof (docs/e2ee-protocol.md,
   * "Message franking"). Stored with the server's verdict, which the reporter is not told.
   */
  create: protectedProcedure
    .input(
      z.object({
        message: z.object({
          id: ZIdSchema,
          sentAt: ZMillisecondsSchema,
          // As the chat carries it, but storable: no U+0000, no lone surrogates.
          body: z
            .string()
            .max(MAX_REPORTED_TEXT_LENGTH, { error: "text_too_long" })
            .refine((text) => !/[\0\p{Cs}]/u.test(text), { error: "text_invalid_characters" }),
        }),
        frankingKey: ZFranking32Schema,
        commitment: ZFranking32Schema,
        tag: ZFranking32Schema,
        senderUserId: ZIdSchema,
        deliveredAt: ZMillisecondsSchema,
        reason: ZReportReasonSchema,
        note: ZReportNoteSchema.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await enforceRateLimit(rateLimitRules.reportsPerAccount, ctx.auth.account.id, ctx.now());
      await createMessageReport({
        actor: ctx.actor,
        purpose,
        message: input.message,
        frankingKey: input.frankingKey,
        commitment: input.commitment,
        tag: input.tag,
        claimedSenderId: input.senderUserId,
        deliveredAt: input.deliveredAt,
        reason: input.reason,
        note: input.note ?? null,
        now: ctx.now(),
      });
      return { ok: true as const };
    }),
});

/** Hearth's block, from a message request (the chat cannot reach the social module's procedures). */
const blocksRouter = createTRPCRouter({
  block: protectedProcedure.input(z.object({ userId: ZIdSchema })).mutation(async ({ ctx, input }) => {
    await enforceRateLimit(rateLimitRules.followsPerAccount, `chat-block:${ctx.auth.account.id}`, ctx.now());
    await blockChatPeer({ actor: ctx.actor, purpose, targetId: input.userId });
    return { ok: true as const };
  }),
});

/**
 * Notifications while Hearth is closed (Web Push): the server's VAPID key for the browser's
 * subscribe call, and each device's subscription, made only after the person opts in on it.
 */
const pushRouter = createTRPCRouter({
  publicKey: protectedProcedure.query(() => ({ publicKey: vapidKeys().publicKey })),

  status: protectedProcedure
    .input(ZDeviceSchema)
    .query(async ({ ctx, input }) => ({ subscribed: await hasOwnPushSubscription({ actor: ctx.actor, purpose, deviceRowId: input.deviceRowId }) })),

  /** Opts this device in: records the push_notifications grant and stores where to wake it. */
  subscribe: protectedProcedure
    .input(
      ZDeviceSchema.extend({
        endpoint: z
          .url({ protocol: /^https?$/, error: "push_endpoint_invalid" })
          .max(2048, { error: "push_endpoint_invalid" })
          .refine(isAllowedPushEndpoint, { error: "push_service_not_allowed" }),
        /** The browser's P-256 key (uncompressed point) and authentication secret, as PushSubscription.toJSON() gives them. */
        p256dh: zBytes({ min: 65, max: 65 }).refine((key) => key[0] === 0x04, { error: "bytes_invalid" }),
        auth: zBytes({ min: 16, max: 16 }),
        locale: z.enum(locales),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await enforceRateLimit(rateLimitRules.pushSubscriptionsPerAccount, ctx.auth.account.id, ctx.now());
      await saveOwnPushSubscription({ actor: ctx.actor, purpose: "push_notifications", ...input, now: ctx.now() });
      return { ok: true as const };
    }),

  /** Opts this device out (the grant stays: the privacy dashboard withdraws it for every device). */
  unsubscribe: protectedProcedure.input(ZDeviceSchema).mutation(async ({ ctx, input }) => {
    await deleteOwnPushSubscription({ actor: ctx.actor, purpose, deviceRowId: input.deviceRowId });
    return { ok: true as const };
  }),
});

export const chatRouter = createTRPCRouter({
  push: pushRouter,
  devices: devicesRouter,
  prekeys: prekeysRouter,
  bundles: bundlesRouter,
  deviceList: deviceListRouter,
  envelopes: envelopesRouter,
  attachments: attachmentsRouter,
  storage: storageRouter,
  link: linkRouter,
  backup: backupRouter,
  directory: directoryRouter,
  reports: reportsRouter,
  blocks: blocksRouter,
});
