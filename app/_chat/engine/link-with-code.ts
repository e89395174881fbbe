// Linking, from the new device's side: find the relay slot the code names, register, post a request
// sealed with the code, wait for the existing device to sign us into the list and answer with the
// account key and trusted contacts, and adopt them. A failed link removes the registered device.
import { createLinkRequest, deriveLinkKeys, normalizeLinkCode, openLinkResponse } from "../crypto";
import { serverErrorOf } from "./api-errors";
import { decodeJsonWithBytes, type LinkSecrets } from "./backup-payload";
import { fromBase64Url, toBase64Url } from "@/app/_shared/isomorphic/base64url";
import { adoptOwnList } from "./adopt-own-list";
import { ChatEngineError } from "./chat-engine-error";
import { createDevice } from "./create-device";
import { engineContextOf, type DeviceSetupContext, type SetUpDevice } from "./device-setup-context";
import type { ChatApiClient } from "./engine-context";
import { KV, type AccountRecord } from "./records";

export interface LinkSlot {
  code: string;
  lookupId: string;
}

/**
 * The relay slot of a code as typed.
 * @throws ChatEngineError chat_link_code_invalid (not a code), chat_link_wrong_code (no such slot), chat_offline
 */
export async function findLinkSlot(client: ChatApiClient, typed: string): Promise<LinkSlot> {
  let code: string;
  try {
    code = normalizeLinkCode(typed);
  } catch {
    throw new ChatEngineError("chat_link_code_invalid");
  }
  const lookupId = toBase64Url(deriveLinkKeys(code).lookupId);
  try {
    await client.chat.link.get.query({ lookupId });
  } catch (error) {
    throw new ChatEngineError(serverErrorOf(error).code === "NOT_FOUND" ? "chat_link_wrong_code" : "chat_offline");
  }
  return { code, lookupId };
}

export async function linkWithCode(setup: DeviceSetupContext, slot: LinkSlot): Promise<SetUpDevice> {
  const { client } = setup;
  const { storage, account: base, entry } = await createDevice(setup);
  try {
    const identityKey = await storage.protocol.identity.getIdentityKeyPair();
    const { request, ephemeral } = createLinkRequest({
      code: slot.code,
      deviceIdentityKey: identityKey.identityKey,
      deviceRowId: entry.rowId,
      deviceId: entry.deviceId,
      deviceName: entry.name,
      random: setup.env.random,
    });
    await client.chat.link.request.mutate({ lookupId: slot.lookupId, request: toBase64Url(request) });
    setup.step("waiting-for-approval");
    const response = await waitForResponse(setup, slot.lookupId);
    let secrets: LinkSecrets;
    try {
      secrets = decodeJsonWithBytes<LinkSecrets>(openLinkResponse({ code: slot.code, request, ephemeral, response }));
    } catch {
      throw new ChatEngineError("chat_link_wrong_code");
    }
    void client.chat.link.close.mutate({ lookupId: slot.lookupId }).catch(() => undefined);
    const account: AccountRecord = { ...base, accountKeyPair: secrets.accountKeyPair };
    await adoptOwnList(engineContextOf(setup, { storage, account }), entry);
    for (const contact of secrets.contacts) await storage.setValue(KV.contact(contact.userId), contact);
    if (secrets.backup) await storage.setValue(KV.backup, secrets.backup);
    await storage.setValue(KV.account, account);
    return { storage, account };
  } catch (error) {
    storage.close();
    await client.chat.devices.revoke.mutate({ deviceRowId: entry.rowId }).catch(() => undefined);
    throw error;
  }
}

/** Polls the slot until the existing device has answered (network errors are waited out). */
async function waitForResponse(setup: DeviceSetupContext, lookupId: string): Promise<Uint8Array> {
  for (;;) {
    if (setup.stopped()) throw new ChatEngineError("chat_link_expired");
    await new Promise((resolve) => setTimeout(resolve, setup.env.delays.linkPollMs));
    try {
      const slot = await setup.client.chat.link.get.query({ lookupId });
      if (slot.response) return fromBase64Url(slot.response);
    } catch (error) {
      const { code, network } = serverErrorOf(error);
      if (code === "NOT_FOUND") throw new ChatEngineError("chat_link_expired");
      if (!network) throw error;
    }
  }
}
