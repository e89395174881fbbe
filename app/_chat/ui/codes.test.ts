import { describe, expect, it } from "vitest";
import { countDigits, groupsOf, linkCodeOrNull, normalizeSixtyDigits } from "./codes";

describe("linkCodeOrNull", () => {
  it("is the crypto core's normalized code: case, spaces and dashes ignored, Crockford's look-alikes read as digits", () => {
    expect(linkCodeOrNull("abcd-efgh-jkmn-pqrs")).toBe("ABCDEFGHJKMNPQRS");
    expect(linkCodeOrNull(" ABCD EFGH\tJKMN – PQRS ")).toBe("ABCDEFGHJKMNPQRS");
    expect(linkCodeOrNull("oIlL-0000-0000-0000")).toBe("0111000000000000");
  });

  it("is null where the crypto core refuses the code: other letters, other lengths", () => {
    expect(linkCodeOrNull("ABCD-EFGH-JKMN-PQRU")).toBeNull();
    expect(linkCodeOrNull("ABCD-EFGH-JKMN")).toBeNull();
    expect(linkCodeOrNull("ABCD-EFGH-JKMN-PQRS-T")).toBeNull();
    expect(linkCodeOrNull("ABCD!EFGH-JKMN-PQRS")).toBeNull();
  });
});

describe("normalizeSixtyDigits", () => {
  const digits = "123456789012345678901234567890123456789012345678901234567890";
  it("drops spaces and dashes", () => {
    expect(normalizeSixtyDigits(groupsOf(digits, 5).join(" "))).toBe(digits);
    expect(normalizeSixtyDigits(`${digits.slice(0, 30)}-\n${digits.slice(30)}`)).toBe(digits);
  });

  it("wants exactly sixty digits", () => {
    expect(normalizeSixtyDigits(digits.slice(1))).toBeNull();
    expect(normalizeSixtyDigits(`${digits}1`)).toBeNull();
    expect(normalizeSixtyDigits(`${digits.slice(1)}x`)).toBeNull();
    expect(countDigits("12 34-5x")).toBe(5);
  });
});

describe("groupsOf", () => {
  it("groups letters and digits, dropping separators first", () => {
    expect(groupsOf("ABCD-EFGH-JKMN-PQRS", 4)).toEqual(["ABCD", "EFGH", "JKMN", "PQRS"]);
    expect(groupsOf("1234567", 5)).toEqual(["12345", "67"]);
  });
});
