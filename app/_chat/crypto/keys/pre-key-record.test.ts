import { beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { generatePreKeys, PreKeyRecord } from "./pre-key-record";

beforeAll(loadCryptoCore);

describe("one-time prekeys", () => {
  const random = createDeterministicRandom("prekeys");

  it("come in batches with consecutive ids and distinct keys", () => {
    const batch = generatePreKeys({ firstId: 100, count: 5, random });
    expect(batch.map((record) => record.id)).toEqual([100, 101, 102, 103, 104]);
    expect(new Set(batch.map((record) => record.keyPair.publicKey.bytes.join())).size).toBe(5);
    expect(() => generatePreKeys({ firstId: 0xffff_fffe, count: 5, random })).toThrow(RangeError);
  });

  it("round-trip, and refuse malformed records", () => {
    const [record] = generatePreKeys({ firstId: 1, count: 1, random });
    const restored = PreKeyRecord.deserialize(record!.serialize());
    expect(restored.id).toBe(1);
    expect(restored.keyPair.publicKey.equals(record!.keyPair.publicKey)).toBe(true);
    expect(() => PreKeyRecord.deserialize(record!.serialize().subarray(0, 36))).toThrow(expect.objectContaining({ code: "InvalidKey" }));
  });
});
