import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hitRateLimit, hitRateLimits, peekRateLimit } from "./hit-rate-limit";

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

describe("hitRateLimits", () => {
  const short = { name: "test:short", max: 2, windowSeconds: 60 };
  const long = { name: "test:long", max: 10, windowSeconds: 600 };

  it("counts several windows in one call, each with its own length, cost and max, sharing them with hitRateLimit", async () => {
    const subjectHash = randomBytes(8).toString("hex");
    const both = (now: Date, cost = 1) =>
      hitRateLimits(
        [
          { rule: short, subjectHash },
          { rule: long, subjectHash, cost },
        ],
        now,
      );
    expect(await both(t0, 4)).toEqual([
      { allowed: true, retryAfterSeconds: 0 },
      { allowed: true, retryAfterSeconds: 0 },
    ]);
    // The single-rule call counts in the same window.
    expect(await hitRateLimit({ rule: short, subjectHash, now: at(1) })).toEqual({ allowed: true, retryAfterSeconds: 0 });
    // The short window is used up; the long one still counts this hit (and refuses none).
    expect(await both(at(10), 4)).toEqual([
      { allowed: false, retryAfterSeconds: 50 },
      { allowed: true, retryAfterSeconds: 0 },
    ]);
    expect(await peekRateLimit({ rule: long, subjectHash, now: at(11) })).toEqual({ allowed: true, retryAfterSeconds: 0 });
    // A minute on, the short window starts over while the long one keeps its 8 hits: 8 + 3 > 10.
    expect(await both(at(60), 3)).toEqual([
      { allowed: true, retryAfterSeconds: 0 },
      { allowed: false, retryAfterSeconds: 540 },
    ]);
  });

  it("keeps subjects apart and counts concurrent calls exactly", async () => {
    const a = randomBytes(8).toString("hex");
    const b = randomBytes(8).toString("hex");
    const wide = { ...short, max: 10 };
    const outcomes = await Promise.all(
      Array.from({ length: 25 }, () =>
        hitRateLimits(
          [
            { rule: wide, subjectHash: a },
            { rule: long, subjectHash: a, cost: 1 },
          ],
          t0,
        ),
      ),
    );
    expect(outcomes.filter(([first]) => first!.allowed)).toHaveLength(10);
    expect(outcomes.filter(([, second]) => second!.allowed)).toHaveLength(10);
    expect((await hitRateLimits([{ rule: wide, subjectHash: b }], t0))[0]).toEqual({ allowed: true, retryAfterSeconds: 0 });
  });
});
