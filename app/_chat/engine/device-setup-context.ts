// What setting this browser up (new, linked or restored) works with, and what it ends with: an
// open storage holding the device's keys and its account record, ready to run.
import { IdentityKeyPair } from "../crypto";
import type { ChatStorage } from "../storage";
import type { ChatApiClient, ChatMe, EngineContext } from "./engine-context";
import type { EngineEnvironment } from "./engine-environment";
import type { AccountRecord } from "./records";
import type { SetupStep } from "./types";

export interface DeviceSetupContext {
  client: ChatApiClient;
  me: ChatMe;
  env: EngineEnvironment;
  /** The server's storage secret for this account (opens the storage with this browser's base key). */
  storageSecret: Uint8Array;
  /** Shows how far the set-up got. */
  step(step: SetupStep, progress?: number | null): void;
  /** Whether the engine was stopped meanwhile (stop waiting). */
  stopped(): boolean;
}

export interface SetUpDevice {
  storage: ChatStorage;
  account: AccountRecord;
}

/** The context the running parts share, for a device with `account` in `storage`. */
export function engineContextOf(setup: Pick<DeviceSetupContext, "client" | "me" | "env">, device: SetUpDevice): EngineContext {
  return {
    client: setup.client,
    me: setup.me,
    storage: device.storage,
    random: setup.env.random,
    now: setup.env.now,
    accountKeyPair: IdentityKeyPair.deserialize(device.account.accountKeyPair),
    device: device.account.device,
  };
}
