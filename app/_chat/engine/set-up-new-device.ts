// The first device of an account, or starting over: a new account key, and a device list with this
// device alone (the account's other devices cannot read what the new key protects; they are removed).
import { IdentityKeyPair } from "../crypto";
import { createDevice } from "./create-device";
import { replaceOwnList } from "./device-lists";
import { engineContextOf, type DeviceSetupContext, type SetUpDevice } from "./device-setup-context";
import { KV, type AccountRecord } from "./records";

export async function setUpNewDevice(setup: DeviceSetupContext): Promise<SetUpDevice> {
  const { storage, account: base, entry } = await createDevice(setup);
  try {
    const account: AccountRecord = { ...base, accountKeyPair: IdentityKeyPair.generate(setup.env.random).serialize() };
    const ctx = engineContextOf(setup, { storage, account });
    // The new list first: a removed device that looks at it on being refused sees the new key, and says so.
    await replaceOwnList(ctx, [entry]);
    for (const device of await setup.client.chat.devices.list.query()) {
      if (device.rowId !== entry.rowId) await setup.client.chat.devices.revoke.mutate({ deviceRowId: device.rowId });
    }
    await storage.setValue(KV.account, account);
    return { storage, account };
  } catch (error) {
    storage.close();
    throw error;
  }
}
