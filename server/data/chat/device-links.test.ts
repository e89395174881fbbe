// Device-link slots at the data layer: expiry (never served after it, swept always) and reuse of an
// expired slot's lookup id.
import { describe, expect, it } from "vitest";
import { uniqueEmail, uniqueHandle } from "../../testing/unique";
import { person, system } from "../actor";
import { db } from "../db";
import { getLinkSlot, LINK_SLOT_LIFETIME_MS, openLinkSlot, postLinkRequest, sweepExpiredLinkSlots } from "./device-links";

const purpose = "core.messaging" as const;
const bytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));

async function newPerson() {
  const user = await db().user.create({ data: { handle: uniqueHandle(), email: uniqueEmail(), passwordHash: "x", displayName: "Test" } });
  return person(user.id);
}

describe("device-link slots", () => {
  it("are not served after 10 minutes, are deleted by the sweep, and free their lookup id", async () => {
    const alice = await newPerson();
    const bob = await newPerson();
    const lookupId = bytes(16);
    const t0 = new Date("2031-02-01T00:00:00Z");
    const end = new Date(t0.getTime() + LINK_SLOT_LIFETIME_MS);
    expect(await openLinkSlot({ actor: alice, purpose, lookupId, now: t0 })).toEqual({ expiresAt: end });

    const justBefore = new Date(end.getTime() - 1);
    expect(await getLinkSlot({ actor: alice, purpose, lookupId, now: justBefore })).toMatchObject({ request: null, expiresAt: end });
    await expect(getLinkSlot({ actor: alice, purpose, lookupId, now: end })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(postLinkRequest({ actor: alice, purpose, lookupId, request: bytes(8), now: end })).rejects.toMatchObject({ code: "NOT_FOUND" });

    // The expired slot stays until the sweep, yet its id can be opened again, by anyone.
    const later = new Date(end.getTime() + 1000);
    const reopened = await openLinkSlot({ actor: bob, purpose, lookupId, now: later });
    expect(reopened.expiresAt).toEqual(new Date(later.getTime() + LINK_SLOT_LIFETIME_MS));
    await expect(getLinkSlot({ actor: alice, purpose, lookupId, now: later })).rejects.toMatchObject({ code: "NOT_FOUND" });

    await sweepExpiredLinkSlots({ actor: system("test"), purpose, now: new Date(later.getTime() + LINK_SLOT_LIFETIME_MS - 1) });
    expect(await db().chatLinkRequest.count({ where: { lookupId } })).toBe(1);
    await sweepExpiredLinkSlots({ actor: system("test"), purpose, now: new Date(later.getTime() + LINK_SLOT_LIFETIME_MS) });
    expect(await db().chatLinkRequest.count({ where: { lookupId } })).toBe(0);
  });

  it("count toward the open limit only until they expire", async () => {
    const alice = await newPerson();
    const t0 = new Date("2031-03-01T00:00:00Z");
    for (let i = 0; i < 5; i++) await openLinkSlot({ actor: alice, purpose, lookupId: bytes(16), now: new Date(t0.getTime() + i * 1000) });
    const sixth = openLinkSlot({ actor: alice, purpose, lookupId: bytes(16), now: new Date(t0.getTime() + 60_000) });
    // Retry once the oldest expires: 10 minutes after t0, 9 minutes after this attempt.
    await expect(sixth).rejects.toMatchObject({ code: "RATE_LIMITED", details: { retryAfterSeconds: 540 } });
    await openLinkSlot({ actor: alice, purpose, lookupId: bytes(16), now: new Date(t0.getTime() + LINK_SLOT_LIFETIME_MS) });
  });
});
