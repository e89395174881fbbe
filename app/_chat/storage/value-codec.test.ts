import { describe, expect, it } from "vitest";
import { isChatStorageError } from "./errors";
import { decodeValue, encodeValue } from "./value-codec";

const roundTrip = (value: unknown) => decodeValue(encodeValue(value));

describe("value codec", () => {
  it("round-trips JSON values and Uint8Array at any depth", () => {
    const value = {
      text: "héllo \u0000 wörld 🔑",
      number: -12.5,
      zero: 0,
      flag: false,
      nothing: null,
      list: [1, "two", [new Uint8Array([3])], { four: new Uint8Array(0) }],
      bytes: new Uint8Array([0, 1, 2, 253, 254, 255]),
      nested: { deeper: { key: new Uint8Array(70_000).map((_, i) => i % 256) } },
    };
    expect(roundTrip(value)).toEqual(value);
    expect(roundTrip("plain")).toBe("plain");
    expect(roundTrip(7)).toBe(7);
    expect(roundTrip(null)).toBeNull();
    expect(roundTrip(new Uint8Array([9]))).toEqual(new Uint8Array([9]));
  });

  it("returns bytes as a plain Uint8Array, also for a subclass or a view into a larger buffer", () => {
    const view = new Uint8Array([1, 2, 3, 4]).subarray(1, 3);
    const decoded = roundTrip({ view }) as { view: Uint8Array };
    expect(decoded.view).toBeInstanceOf(Uint8Array);
    expect([...decoded.view]).toEqual([2, 3]);
  });

  it("keeps object keys that look like its own tag apart from bytes", () => {
    const value = { $b: "AAEC", $$b: "x", $: 1, inner: { $b: new Uint8Array([1]) }, __proto__x: 2 };
    expect(roundTrip(value)).toEqual(value);
    const tagLookalike = { $b: "AQI=" };
    expect(roundTrip(tagLookalike)).toEqual(tagLookalike);
  });

  it("keeps a key named __proto__ as an own property without touching the prototype", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const decoded = roundTrip(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(["__proto__", "a"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("leaves undefined object properties out, as JSON does", () => {
    expect(roundTrip({ a: 1, b: undefined })).toEqual({ a: 1 });
    expect(Object.keys(roundTrip({ a: 1, b: undefined }) as object)).toEqual(["a"]);
  });

  it("refuses what it cannot give back unchanged", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const value of [
      NaN,
      Infinity,
      undefined,
      1n,
      new Date(0),
      new Map(),
      new Uint16Array(1),
      new ArrayBuffer(1),
      [undefined],
      () => 1,
      Symbol("s"),
      cyclic,
    ]) {
      let error: unknown;
      try {
        encodeValue(value);
      } catch (caught) {
        error = caught;
      }
      expect(isChatStorageError(error, "unsupported_value"), String(typeof value)).toBe(true);
    }
  });

  it("refuses bytes that are not an encoded value", () => {
    for (const bytes of [new Uint8Array([0xff]), new TextEncoder().encode("{"), new TextEncoder().encode('{"$b": 1}'), new TextEncoder().encode('{"$x": 1}')]) {
      expect(() => decodeValue(bytes)).toThrow(expect.objectContaining({ code: "corrupt" }) as Error);
    }
  });
});
