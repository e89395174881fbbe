import { describe, expect, it } from "vitest";
import { deriveOfflinePassphraseKey, OFFLINE_PASSPHRASE_KDF, OFFLINE_PASSPHRASE_KDF_MINIMUM } from "./offline-passphrase-key";

const salt = new Uint8Array(16).fill(7);

describe("the offline passphrase's key (Argon2id)", () => {
  it("is the same for the same passphrase, salt and limits, NFKC-normalized, and differs with any of them", async () => {
    const key = await deriveOfflinePassphraseKey("ferry lights at dusk", salt, OFFLINE_PASSPHRASE_KDF_MINIMUM);
    expect(key).toHaveLength(32);
    expect(await deriveOfflinePassphraseKey("ferry lights at dusk", salt, OFFLINE_PASSPHRASE_KDF_MINIMUM)).toEqual(key);
    expect(await deriveOfflinePassphraseKey("ferry lights at dusk!", salt, OFFLINE_PASSPHRASE_KDF_MINIMUM)).not.toEqual(key);
    expect(await deriveOfflinePassphraseKey("ferry lights at dusk", new Uint8Array(16).fill(8), OFFLINE_PASSPHRASE_KDF_MINIMUM)).not.toEqual(key);
    expect(await deriveOfflinePassphraseKey("ferry lights at dusk", salt, { opsLimit: 2, memLimit: 8192 })).not.toEqual(key);
    const composed = await deriveOfflinePassphraseKey("café", salt, OFFLINE_PASSPHRASE_KDF_MINIMUM);
    expect(await deriveOfflinePassphraseKey("cafe\u0301", salt, OFFLINE_PASSPHRASE_KDF_MINIMUM)).toEqual(composed);
  });

  it("runs at the production limits (libsodium INTERACTIVE: 2 passes over 64 MiB)", async () => {
    expect(OFFLINE_PASSPHRASE_KDF).toEqual({ opsLimit: 2, memLimit: 64 * 1024 * 1024 });
    expect(await deriveOfflinePassphraseKey("ferry lights at dusk", salt, OFFLINE_PASSPHRASE_KDF)).toHaveLength(32);
  });

  it("refuses an empty passphrase, a salt of the wrong size and limits out of range", async () => {
    await expect(deriveOfflinePassphraseKey("", salt, OFFLINE_PASSPHRASE_KDF_MINIMUM)).rejects.toBeInstanceOf(RangeError);
    await expect(deriveOfflinePassphraseKey("ferry lights", new Uint8Array(15), OFFLINE_PASSPHRASE_KDF_MINIMUM)).rejects.toMatchObject({ code: "InvalidKey" });
    await expect(deriveOfflinePassphraseKey("ferry lights", salt, { opsLimit: 11, memLimit: 8192 })).rejects.toMatchObject({ code: "InvalidKey" });
    await expect(deriveOfflinePassphraseKey("ferry lights", salt, { opsLimit: 1, memLimit: 2 ** 31 })).rejects.toMatchObject({ code: "InvalidKey" });
  });
});
