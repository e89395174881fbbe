// TOTP as authenticator apps compute it (RFC 6238's test vector), the ±1 step window with an
// injected clock, and replay: a code of a step at or before the last accepted one is refused.
import { generateHOTP } from "@oslojs/otp";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { describe, expect, it } from "vitest";
import { formatTotpKey, generateTotpKey, matchTotpStep, totpCodeAt, totpKeyUri, totpStepAt } from "./totp";

const key = generateTotpKey();
const at = new Date("2026-12-05T12:00:10Z");
const step = totpStepAt(at);
const codeOf = (offsetSteps: number) => generateHOTP(key, step + BigInt(offsetSteps), 6);
const match = (code: string, lastUsedStep: bigint | null = null) => matchTotpStep({ key, code, now: at, lastUsedStep });

describe("TOTP", () => {
  it("gives RFC 6238's code for its SHA-1 test key at 59 s (last 6 digits of 94287082)", () => {
    const rfcKey = new TextEncoder().encode("12345678901234567890");
    expect(totpCodeAt(rfcKey, new Date(59_000))).toBe("287082");
  });

  it("accepts the current step's code and one step either side, nothing further", () => {
    expect(match(codeOf(0))).toBe(step);
    expect(match(codeOf(-1))).toBe(step - 1n);
    expect(match(codeOf(1))).toBe(step + 1n);
    expect(match(codeOf(-2))).toBeNull();
    expect(match(codeOf(2))).toBeNull();
  });

  it("refuses a code of the last accepted step or an earlier one: each code works once", () => {
    expect(match(codeOf(0), step)).toBeNull();
    expect(match(codeOf(-1), step)).toBeNull();
    expect(match(codeOf(1), step)).toBe(step + 1n);
    expect(match(codeOf(0), step - 1n)).toBe(step);
  });

  it("refuses anything but six digits", () => {
    for (const typed of ["", "12345", "1234567", "12 345", "abcdef", `${codeOf(0)} `]) expect(match(typed)).toBeNull();
  });

  it("gives apps the key as base32 text and as an otpauth:// URI with the period and digits", () => {
    const text = formatTotpKey(key);
    expect(decodeBase32IgnorePadding(text.replace(/ /g, ""))).toEqual(key);
    const uri = new URL(totpKeyUri({ issuer: "Hearth", accountName: "@alice", key }));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("secret")).toBe(text.replace(/ /g, ""));
    expect(uri.searchParams.get("period")).toBe("30");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Hearth:@alice");
  });
});
