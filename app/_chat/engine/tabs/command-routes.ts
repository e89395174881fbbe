// Which commands a tab that does not own the keys may give through the owner tab. Every command of
// ChatEngineCommands is listed (tsc refuses a missing one), so a new command works in every tab
// with one line here. "owner-tab": it would move a secret across the channel (a recovery key, a
// passphrase) or needs the page it is given in (a call's media, a file saved there): the keys move
// to that tab first (ChatTab.claim), and the owner refuses it over the channel.
import type { ChatEngineCommands } from "../types";

/** Commands answered asynchronously (the views `messages` and `calls` are mirrored, not called). */
export type AsyncCommandName = {
  [K in keyof ChatEngineCommands]: ChatEngineCommands[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof ChatEngineCommands];

export type CommandRoute = "forward" | "owner-tab";

export const COMMAND_ROUTES: Record<AsyncCommandName, CommandRoute> = {
  setUpNewDevice: "forward",
  linkWithCode: "forward",
  restoreFromBackup: "owner-tab",
  saveHistory: "owner-tab",
  discardAndSetUpAgain: "forward",
  openConversation: "forward",
  loadOlder: "forward",
  sendText: "forward",
  sendFiles: "forward",
  react: "forward",
  editMessage: "forward",
  deleteForEveryone: "forward",
  deleteForMe: "forward",
  setTyping: "forward",
  setChatSettings: "forward",
  setDisappearingTimer: "forward",
  openViewOnce: "forward",
  cancelUpload: "forward",
  retry: "forward",
  reportMessage: "forward",
  downloadAttachment: "forward",
  cancelDownload: "forward",
  openAttachment: "forward",
  attachmentQuota: "forward",
  markRead: "forward",
  acceptRequest: "forward",
  deleteRequest: "forward",
  blockRequest: "forward",
  search: "forward",
  createGroup: "forward",
  addGroupMembers: "forward",
  removeGroupMember: "forward",
  makeGroupAdmin: "forward",
  editGroup: "forward",
  leaveGroup: "forward",
  groupCandidates: "forward",
  safetyNumber: "forward",
  compareScanned: "forward",
  setVerified: "forward",
  acknowledgeIdentityChange: "forward",
  devices: "forward",
  removeDevice: "forward",
  startLinkOffer: "forward",
  approveLink: "forward",
  cancelLink: "forward",
  startCall: "owner-tab",
  acceptCall: "owner-tab",
  declineCall: "forward",
  openCall: "owner-tab",
  callJoined: "owner-tab",
  rotateCallKey: "owner-tab",
  endCall: "owner-tab",
  enableBackup: "owner-tab",
  setPassphrase: "owner-tab",
  removePassphrase: "forward",
  setOfflinePassphrase: "owner-tab",
  removeOfflinePassphrase: "forward",
  unlockOffline: "owner-tab",
  backUpNow: "forward",
  backupAttachmentLimit: "forward",
  setBackupAttachmentLimit: "forward",
};

export function isForwardedCommand(name: string): name is AsyncCommandName {
  return Object.hasOwn(COMMAND_ROUTES, name) && COMMAND_ROUTES[name as AsyncCommandName] === "forward";
}
