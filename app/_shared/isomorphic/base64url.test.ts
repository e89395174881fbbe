import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "@/app/_shared/isomorphic/base64url";

describe("toBase64Url", () => {
  it("encodes without padding, URL-safe", () => {
    expect(toBase64Url(new Uint8Array([251, 255, 191]))).toBe("-_-_");
    expect(toBase64Url(new Uint8Array([1]))).toBe("AQ");
    expect(toBase64Url(new Uint8Array([1, 2]))).toBe("AQI");
    expect(toBase64Url(new Uint8Array())).toBe("");
  });

  it("writes what Node's Buffer writes, and reads it back", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString("base64url"));
        expect(fromBase64Url(text)).toEqual(bytes);
      }),
    );
  });
});

describe("fromBase64Url", () => {
  it("refuses what is not the canonical unpadded encoding", () => {
    for (const text of [
      "AQ==", // padded
      "AQ=", // padded
      "+/+/", // the standard alphabet
      "AQ I", // a space
      "AQ\n", // a newline
      "A", // 4n + 1 characters
      "AQIDB", // 4n + 1 characters
      "AR", // non-zero unused bits (the canonical form of 0x01 is "AQ")
      "AQJ", // non-zero unused bits ("AQI" is 0x01 0x02)
      "AQ.I",
    ]) {
      expect(() => fromBase64Url(text), text).toThrow();
    }
  });
});
