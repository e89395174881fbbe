import { describe, expect, it } from "vitest";
import { bytesToHex } from "@noble/hashes/utils.js";
import { drawNonce, systemRandom } from "./random";
import { createDeterministicRandom } from "./testing/deterministic-random";

describe("randomness", () => {
  it("fills requests beyond getRandomValues' 64 KiB limit", () => {
    const bytes = systemRandom(200_000);
    expect(bytes.length).toBe(200_000);
    expect(bytes.subarray(150_000).some((byte) => byte !== 0)).toBe(true);
  });

  it("hands out nonces as consecutive slices of the source's stream, 4 KiB drawn at a time", () => {
    const stream = createDeterministicRandom("nonces")(4096 * 2);
    const random = createDeterministicRandom("nonces");
    const nonces = Array.from({ length: 200 }, () => drawNonce(random, 24));
    expect(bytesToHex(nonces[0]!)).toBe(bytesToHex(stream.subarray(0, 24)));
    expect(bytesToHex(nonces[1]!)).toBe(bytesToHex(stream.subarray(24, 48)));
    expect(bytesToHex(nonces[170]!)).toBe(bytesToHex(stream.subarray(4096, 4120)));
    expect(new Set(nonces.map(bytesToHex)).size).toBe(200);
  });

  it("keeps one pool per source and returns copies", () => {
    const a = createDeterministicRandom("a");
    const b = createDeterministicRandom("a");
    const first = drawNonce(a, 24);
    first.fill(0);
    expect(bytesToHex(drawNonce(b, 24))).not.toBe(bytesToHex(first));
    expect(bytesToHex(drawNonce(a, 24))).toBe(bytesToHex(drawNonce(b, 24)));
  });
});
