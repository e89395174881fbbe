import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { visitor } from "../data/actor";
import { createUser } from "../data/auth/users";
import { db } from "../data/db";
import { hitRateLimit } from "../data/rate-limit/hit-rate-limit";
import { startSession } from "../auth/sessions";
import { uniqueEmail, uniqueHandle } from "../testing/unique";
import { sweepExpiredAuthData } from "./sweep-expired-auth-data";

describe("sweepExpiredAuthData", () => {
  it("deletes expired sessions, old rate-limit windows, expired passkey challenges and pending log-ins, and keeps live ones", async () => {
    const account = await createUser({
      actor: visitor,
      purpose: "core.account",
      handle: uniqueHandle(),
      email: uniqueEmail(),
      passwordHash: "x",
      locale: null,
    });
    const longAgo = new Date("2020-01-01T00:00:00Z");
    const expired = await startSession({ userId: account.id, userAgent: null, now: longAgo });
    const live = await startSession({ userId: account.id, userAgent: null });
    const oldKey = randomBytes(8).toString("hex");
    const freshKey = randomBytes(8).toString("hex");
    const rule = { name: "test:sweep", max: 1, windowSeconds: 60 };
    await hitRateLimit({ rule, subjectHash: oldKey, now: longAgo });
    await hitRateLimit({ rule, subjectHash: freshKey });
    const hex = () => randomBytes(32).toString("hex");
    const [oldChallenge, freshChallenge, oldPending, freshPending] = [hex(), hex(), hex(), hex()];
    const soon = new Date(Date.now() + 60_000);
    await db().webAuthnChallenge.createMany({
      data: [
        { id: oldChallenge, kind: "authentication", expiresAt: longAgo },
        { id: freshChallenge, kind: "registration", sessionId: live.session.id, expiresAt: soon },
      ],
    });
    await db().pendingLogIn.createMany({
      data: [
        { id: oldPending, userId: account.id, expiresAt: longAgo },
        { id: freshPending, userId: account.id, expiresAt: soon },
      ],
    });

    const swept = await sweepExpiredAuthData();

    expect(swept.sessions).toBeGreaterThanOrEqual(1);
    expect(await db().session.count({ where: { id: expired.session.id } })).toBe(0);
    expect(await db().session.count({ where: { id: live.session.id } })).toBe(1);
    expect(await db().rateLimitWindow.count({ where: { key: `test:sweep:${oldKey}` } })).toBe(0);
    expect(await db().rateLimitWindow.count({ where: { key: `test:sweep:${freshKey}` } })).toBe(1);
    expect(await db().webAuthnChallenge.findMany({ where: { id: { in: [oldChallenge, freshChallenge] } }, select: { id: true } })).toEqual([
      { id: freshChallenge },
    ]);
    expect(await db().pendingLogIn.findMany({ where: { id: { in: [oldPending, freshPending] } }, select: { id: true } })).toEqual([{ id: freshPending }]);
  });
});
