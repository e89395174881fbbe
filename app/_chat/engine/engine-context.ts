// What every part of a running engine shares: the API client, this person, the open storage and
// this device's keys. Made once the device is set up; parts receive it instead of globals.
import type { TRPCClient } from "@trpc/client";
import type { AppRouter } from "@/server/root";
import type { IdentityKeyPair, RandomSource } from "../crypto";
import type { ChatStorage } from "../storage";

export type ChatApiClient = TRPCClient<AppRouter>;

export interface ChatMe {
  userId: string;
  handle: string;
}

export interface EngineContext {
  client: ChatApiClient;
  me: ChatMe;
  storage: ChatStorage;
  random: RandomSource;
  now: () => number;
  accountKeyPair: IdentityKeyPair;
  device: { rowId: string; deviceId: number; name: string };
}
