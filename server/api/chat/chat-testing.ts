// Helpers shared by the chat module's router tests.
import { createECDH, randomBytes as nodeRandomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import pg from "pg";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { fakePushEndpoint } from "../../../scripts/push/fake-push-service";
import { serverEnv } from "../../env";
import type { AppError } from "../../errors";
import { CLIENT_IP_HEADER } from "../../auth/client-ip";
import { createCaller } from "../../root";
import type { TestPerson } from "../../testing/test-browser";
import { uniqueIp } from "../../testing/unique";
import { createTRPCContext } from "../../trpc";
import type { StreamedEnvelope } from "./envelope-stream";

export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
export const randomBytes = (n: number) => b64(nodeRandomBytes(n));

export function oneTimeKeys(firstId: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({ keyId: firstId + i, publicKey: randomBytes(33) }));
}

export function kyberKeys(firstId: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({ keyId: firstId + i, publicKey: randomBytes(1185), signature: randomBytes(64) }));
}

/** Registers a chat device for `owner` with keys of the right sizes (random bytes: the server never opens them). */
export async function registerDevice(owner: TestPerson, extra: { oneTime?: number; kyber?: number } = {}) {
  return owner.call((api) =>
    api.chat.devices.register({
      identityKey: randomBytes(33),
      signedPreKey: { keyId: 1, publicKey: randomBytes(33), signature: randomBytes(64) },
      lastResortKyberPreKey: { ...kyberKeys(0, 1)[0]!, keyId: 0xffff_fff0 },
      oneTimePreKeys: oneTimeKeys(1, extra.oneTime ?? 0),
      kyberPreKeys: kyberKeys(1, extra.kyber ?? 0),
    }),
  );
}

/** Expects a tRPC error with `code`, and optionally a zod message or AppError code among its causes. */
export async function expectError(promise: Promise<unknown>, code: TRPCError["code"], appCodeOrMessage?: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected the call to fail").toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  if (appCodeOrMessage) {
    const cause = (error as TRPCError).cause as AppError & { issues?: { message: string }[] };
    expect(cause.issues ? cause.issues.map((i) => i.message) : [cause.code]).toContain(appCodeOrMessage);
  }
}

/**
 * A plain PostgreSQL connection for one test file, open from its first test to its last: the chat
 * module's code may not import Prisma, so its tests look into the database with SQL.
 */
export function connectTestDatabase(): Pick<pg.Client, "query"> {
  let client: pg.Client | undefined;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: serverEnv().DATABASE_URL });
    await client.connect();
  });
  afterAll(() => client?.end());
  // pg's `query` has many overloads; forwarding the arguments as they are keeps all of them.
  const query = (...args: unknown[]) => (client!.query as (...a: unknown[]) => unknown)(...args);
  return { query: query as pg.Client["query"] };
}

/**
 * What a browser's PushManager.subscribe gives, pointing at the run's fake push service
 * (scripts/push/fake-push-service.ts): a new address there, and keys made as a browser makes them
 * (a P-256 key pair and a 16-byte secret). `gone` makes the address answer 410.
 */
export function browserPushSubscription(options: { gone?: boolean } = {}) {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return { endpoint: fakePushEndpoint(inject("fakePushOrigin"), options), p256dh: b64(ecdh.getPublicKey()), auth: randomBytes(16) };
}

/** Opens the device's stream with its own abort signal, as the SSE handler would. */
export async function openStream(owner: TestPerson, input: { deviceRowId: string; lastEventId?: string }) {
  const controller = new AbortController();
  const ctx = await createTRPCContext({ headers: new Headers({ cookie: owner.browser.cookie, [CLIENT_IP_HEADER]: uniqueIp() }), resHeaders: null });
  const iterable = await createCaller(ctx, { signal: controller.signal }).chat.envelopes.stream(input);
  const iterator = iterable[Symbol.asyncIterator]();
  return {
    /** The next event's id and data, or a failure after `ms`. */
    async next(ms = 5_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no envelope within ${ms} ms`)), ms);
      });
      try {
        const result = await Promise.race([iterator.next(), timeout]);
        if (result.done) throw new Error("stream ended");
        // The caller yields tRPC's tracked tuple [id, data, marker]; over SSE the id becomes the event id.
        const [id, data] = result.value as unknown as [string, StreamedEnvelope];
        return { id, data };
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      controller.abort();
      await iterator.return?.(undefined);
    },
  };
}
