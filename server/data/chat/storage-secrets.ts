// The per-account secret that the browser combines with a key it keeps on the device to wrap its
// local chat store: a copy of the browser's files alone then opens nothing, and deleting the
// account (which deletes the secret) makes every copy of them unreadable. Made once, never changed.
import "server-only";
import { randomBytes } from "node:crypto";
import type { PersonActor } from "../actor";
import { db } from "../db";

export const STORAGE_SECRET_BYTES = 32;

/** The actor's storage secret, made on the first call; every later call returns the same bytes. */
export async function getOrCreateStorageSecret(options: { actor: PersonActor; purpose: "core.messaging"; now?: Date }): Promise<Uint8Array> {
  const userId = options.actor.userId;
  const existing = await db().chatStorageSecret.findUnique({ where: { userId }, select: { secret: true } });
  if (existing) return existing.secret;
  // Two first calls at once: one insert wins, and both return what it stored.
  await db().chatStorageSecret.createMany({
    data: [{ userId, secret: new Uint8Array(randomBytes(STORAGE_SECRET_BYTES)), createdAt: options.now ?? new Date() }],
    skipDuplicates: true,
  });
  const stored = await db().chatStorageSecret.findUniqueOrThrow({ where: { userId }, select: { secret: true } });
  return stored.secret;
}
