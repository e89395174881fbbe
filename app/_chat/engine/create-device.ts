// The first step of every set-up: new device keys in a new storage, registered with the server
// (which gives the device its row id and number). On failure nothing of it stays in the browser.
import { IdentityKeyPair } from "../crypto";
import { deleteChatStorage, openChatStorage, type ChatStorage } from "../storage";
import type { DeviceSetupContext } from "./device-setup-context";
import { createDeviceKeys } from "./prekeys";
import type { AccountRecord, DeviceEntry } from "./records";

export interface CreatedDevice {
  storage: ChatStorage;
  /** The account record but for the account key pair, which the set-up brings. */
  account: Omit<AccountRecord, "accountKeyPair">;
  /** This device as its account's device list names it. */
  entry: DeviceEntry;
}

export async function createDevice(setup: DeviceSetupContext): Promise<CreatedDevice> {
  const { client, me, env } = setup;
  setup.step("creating-keys");
  const identityKeyPair = IdentityKeyPair.generate(env.random);
  const storageName = env.storageName(me.userId);
  const storage = await openChatStorage({ userId: storageName, storageSecret: setup.storageSecret, identityKeyPair });
  try {
    const { upload, ids } = await createDeviceKeys({ storage, identityKeyPair, random: env.random, now: env.now() });
    setup.step("registering");
    const registered = await client.chat.devices.register.mutate(upload);
    const name = await env.deviceName();
    return {
      storage,
      account: { device: { rowId: registered.rowId, deviceId: registered.deviceId, name }, ...ids },
      entry: { rowId: registered.rowId, deviceId: registered.deviceId, identityKey: identityKeyPair.identityKey.serialize(), name, addedAt: env.now() },
    };
  } catch (error) {
    storage.close();
    await deleteChatStorage(storageName);
    throw error;
  }
}
