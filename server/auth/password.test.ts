import { describe, expect, it } from "vitest";
import { ZNewPasswordSchema, ZEmailSchema, ZHandleSchema } from "./account-fields";
import { hashPassword, isCommonPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("uses Argon2id with OWASP's parameters and a fresh salt per hash", async () => {
    const a = await hashPassword("a quiet evening walk");
    const b = await hashPassword("a quiet evening walk");
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, "a quiet evening walk")).toBe(true);
    expect(await verifyPassword(a, "a quiet evening walk ")).toBe(false);
    expect(await verifyPassword("not a hash", "anything")).toBe(false);
  });
});

describe("new passwords", () => {
  it("need at least 10 characters and at most 256", () => {
    expect(ZNewPasswordSchema.safeParse("short pw").error?.issues[0]?.message).toBe("password_too_short");
    expect(ZNewPasswordSchema.safeParse("x".repeat(257)).error?.issues[0]?.message).toBe("password_too_long");
    expect(ZNewPasswordSchema.safeParse("lantern orbit meadow").success).toBe(true);
  });

  it("are refused when on the shipped list of common passwords, in any case", () => {
    expect(isCommonPassword("password123")).toBe(true);
    expect(isCommonPassword("QWERTYUIOP")).toBe(true);
    expect(ZNewPasswordSchema.safeParse("1234567890").error?.issues[0]?.message).toBe("password_common");
    expect(isCommonPassword("lantern orbit meadow")).toBe(false);
  });
});

describe("handles", () => {
  it("are normalised to lower case and limited to 3-30 of [a-z0-9_]", () => {
    expect(ZHandleSchema.parse("  Alice_99 ")).toBe("alice_99");
    expect(ZHandleSchema.safeParse("ab").error?.issues[0]?.message).toBe("handle_too_short");
    expect(ZHandleSchema.safeParse("a".repeat(31)).error?.issues[0]?.message).toBe("handle_too_long");
    expect(ZHandleSchema.safeParse("al-ice").error?.issues[0]?.message).toBe("handle_invalid_characters");
    expect(ZHandleSchema.safeParse("ålice").error?.issues[0]?.message).toBe("handle_invalid_characters");
  });

  it("refuses reserved names whatever their case", () => {
    for (const name of ["admin", "Settings", "HEARTH", "support"]) {
      expect(ZHandleSchema.safeParse(name).error?.issues[0]?.message).toBe("handle_reserved");
    }
  });
});

describe("emails", () => {
  it("are trimmed and lower-cased, and must look like an address", () => {
    expect(ZEmailSchema.parse("  Ada@Example.ORG ")).toBe("ada@example.org");
    expect(ZEmailSchema.safeParse("ada@").error?.issues[0]?.message).toBe("email_invalid");
    expect(ZEmailSchema.safeParse(`${"a".repeat(250)}@x.org`).success).toBe(false);
  });
});
