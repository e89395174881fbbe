import { describe, expect, it } from "vitest";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { dammCheckDigit, RecoveryKey, RECOVERY_KEY_DIGITS } from "./recovery-key";

describe("recovery key", () => {
  it("uses Damm's check digit (572 → 4)", () => {
    expect(dammCheckDigit("572")).toBe(4);
    expect(dammCheckDigit("5724")).toBe(0);
  });

  it("is 60 digits in twelve groups of five and parses back however it is typed", () => {
    const key = RecoveryKey.generate(createDeterministicRandom("recovery"));
    expect(key.digits).toMatch(/^\d{60}$/);
    expect(key.toString()).toMatch(/^(\d{5} ){11}\d{5}$/);
    expect(RecoveryKey.parse(key.toString()).digits).toBe(key.digits);
    expect(RecoveryKey.parse(key.digits.replace(/(\d{4})/g, "$1-")).digits).toBe(key.digits);
    expect(RecoveryKey.parse(` ${key.toString()}\n`).digits).toBe(key.digits);
  });

  it("draws uniform digits: no digit is favoured over many keys", () => {
    const random = createDeterministicRandom("recovery-uniform");
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 200; i++) for (const digit of RecoveryKey.generate(random).digits.slice(0, 59)) counts[Number(digit)]! += 1;
    for (const count of counts) expect(Math.abs(count - 1180)).toBeLessThan(150);
  });

  it("catches every single mistyped digit and every swap of two neighbours", () => {
    const key = RecoveryKey.generate(createDeterministicRandom("recovery-typos")).digits;
    for (let i = 0; i < RECOVERY_KEY_DIGITS; i++) {
      for (let digit = 0; digit <= 9; digit++) {
        if (String(digit) === key[i]) continue;
        const typo = key.slice(0, i) + String(digit) + key.slice(i + 1);
        expect(() => RecoveryKey.parse(typo)).toThrow(expect.objectContaining({ code: "InvalidRecoveryKey" }));
      }
      if (i + 1 < RECOVERY_KEY_DIGITS && key[i] !== key[i + 1]) {
        const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
        expect(() => RecoveryKey.parse(swapped)).toThrow(expect.objectContaining({ code: "InvalidRecoveryKey" }));
      }
    }
  });

  it("refuses letters and wrong lengths", () => {
    const key = RecoveryKey.generate(createDeterministicRandom("recovery-bad")).digits;
    for (const bad of [key.slice(1), `${key}0`, `${key.slice(0, 59)}O`, ""]) {
      expect(() => RecoveryKey.parse(bad)).toThrow(expect.objectContaining({ code: "InvalidRecoveryKey" }));
    }
  });
});
