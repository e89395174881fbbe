import { describe, expect, it } from "vitest";
import { zBytes } from "./schemas";

describe("zBytes", () => {
  const schema = zBytes({ min: 2, max: 6 });
  const message = (text: string) => schema.safeParse(text).error?.issues[0]?.message;

  it("reads canonical unpadded base64url", () => {
    expect(schema.parse("AQI")).toEqual(new Uint8Array([1, 2]));
    expect(schema.parse("-_-_")).toEqual(new Uint8Array([251, 255, 191]));
  });

  it("refuses padding, other alphabets, 4n + 1 characters and non-zero unused bits", () => {
    for (const text of ["AQI=", "AQ+/", "AQ I", "AQIDB", "AQJ"]) expect([text, message(text)]).toEqual([text, "bytes_invalid"]);
  });

  it("refuses other lengths", () => {
    expect(message("AQ")).toBe("bytes_length_invalid");
    expect(message("AQIDBAUGBw")).toBe("bytes_too_long");
  });
});
