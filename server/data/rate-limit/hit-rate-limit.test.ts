import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hitRateLimit, peekRateLimit } from "./hit-rate-limit";

const rule = { name: "test:rule", max: 3, windowSeconds: 60 };
const t0 = new Date("2026-03-01T12:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

describe("hitRateLimit", () => {
  it("allows max hits in a window, then refuses with the seconds left, then opens a new window", async () => {
    const subjectHash = randomBytes(8).toString("hex");
    for (let i = 0; i < 3; i++) expect((await hitRateLimit({ rule, subjectHash, now: at(i) })).allowed).toBe(true);
    expect(await hitRateLimit({ rule, subjectHash, now: at(15) })).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(await peekRateLimit({ rule, subjectHash, now: at(59) })).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(await peekRateLimit({ rule, subjectHash, now: at(60) })).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(await hitRateLimit({ rule, subjectHash, now: at(60) })).toEqual({ allowed: true, retryAfterSeconds: 0 });
  });

  it("counts concurrent hits exactly (no lost updates)", async () => {
    const subjectHash = randomBytes(8).toString("hex");
    const wide = { ...rule, max: 10 };
    const outcomes = await Promise.all(Array.from({ length: 25 }, () => hitRateLimit({ rule: wide, subjectHash, now: t0 })));
    expect(outcomes.filter((o) => o.allowed)).toHaveLength(10);
  });

  it("keeps subjects apart", async () => {
    const a = randomBytes(8).toString("hex");
    const b = randomBytes(8).toString("hex");
    for (let i = 0; i < 4; i++) await hitRateLimit({ rule, subjectHash: a, now: t0 });
    expect((await hitRateLimit({ rule, subjectHash: b, now: t0 })).allowed).toBe(true);
  });
});
