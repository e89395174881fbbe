import { beforeAll, describe, expect, it } from "vitest";
import { utf8 } from "../bytes";
import { CryptoError } from "../errors";
import { loadCryptoCore } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { createTestDevice } from "../testing/test-device";
import { sealedDecrypt, sealedEncrypt } from "./sealed-session-cipher";
import { processPreKeyBundle } from "./session-cipher";

beforeAll(loadCryptoCore);

const now = Date.UTC(2026, 5, 1);

describe("sealed session cipher", () => {
  it("delivers through sealed envelopes both ways, sender learned from inside", async () => {
    const alice = await createTestDevice({ userId: "alice", random: createDeterministicRandom("sealed/alice") });
    const bob = await createTestDevice({ userId: "bob", random: createDeterministicRandom("sealed/bob") });
    await processPreKeyBundle({ address: bob.address, bundle: await bob.bundle(), stores: alice.stores, random: alice.random });

    const envelope = await sealedEncrypt({ address: bob.address, sender: alice.address, plaintext: utf8("sealed hi"), stores: alice.stores, random: alice.random, now });
    const opened = await sealedDecrypt({ envelope, stores: bob.stores, random: bob.random });
    expect(opened.sender).toEqual(alice.address);
    expect(opened.senderIdentityKey.equals(alice.identityKeyPair.identityKey)).toBe(true);
    expect(opened.timestamp).toBe(now);
    expect(new TextDecoder().decode(opened.plaintext)).toBe("sealed hi");

    const reply = await sealedEncrypt({ address: alice.address, sender: bob.address, plaintext: utf8("sealed reply"), stores: bob.stores, random: bob.random, now });
    expect(new TextDecoder().decode((await sealedDecrypt({ envelope: reply, stores: alice.stores, random: alice.random })).plaintext)).toBe("sealed reply");
    await expect(sealedDecrypt({ envelope, stores: bob.stores, random: bob.random })).rejects.toMatchObject({ code: "DuplicatedMessage" });
  });

  it("refuses an envelope whose signer is not the identity trusted for the claimed sender", async () => {
    const alice = await createTestDevice({ userId: "alice", random: createDeterministicRandom("claim/alice") });
    const bob = await createTestDevice({ userId: "bob", random: createDeterministicRandom("claim/bob") });
    const mallory = await createTestDevice({ userId: "mallory", random: createDeterministicRandom("claim/mallory") });
    await processPreKeyBundle({ address: bob.address, bundle: await bob.bundle(), stores: alice.stores, random: alice.random });
    const fromAlice = await sealedEncrypt({ address: bob.address, sender: alice.address, plaintext: utf8("real"), stores: alice.stores, random: alice.random, now });
    await sealedDecrypt({ envelope: fromAlice, stores: bob.stores, random: bob.random });

    await processPreKeyBundle({ address: bob.address, bundle: await bob.bundle(), stores: mallory.stores, random: mallory.random });
    const impostor = await sealedEncrypt({ address: bob.address, sender: alice.address, plaintext: utf8("I am alice"), stores: mallory.stores, random: mallory.random, now });
    let error: unknown;
    try {
      await sealedDecrypt({ envelope: impostor, stores: bob.stores, random: bob.random });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CryptoError);
    expect((error as CryptoError).code).toBe("UntrustedIdentity");
  });
});
