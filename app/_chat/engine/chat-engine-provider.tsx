"use client";
// Binds this tab's chat to React, on every page of a signed-in person (the navigation's unread
// count needs it everywhere): the social site's frame and Messages' own each mount one, and both
// hold the same running tab (tabs/held-chat-tab.ts). It loads after first paint, so pages stay
// light; until then the snapshot says "starting" and commands wait for it. The first tab runs the
// engine (and only it loads the crypto core: libsodium's WebAssembly, ML-KEM); other tabs work
// through that one (engine/tabs), and take over when it closes.
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import { STARTING_SNAPSHOT } from "./starting-snapshot";
import { holdChatTab } from "./tabs/held-chat-tab";
import type { CallsView, ChatEngineCommands, ChatEngineView, ChatMessage, ChatSnapshot, ConnectionState, ConversationNotice } from "./types";

const EMPTY_THREAD = { messages: [], notices: [], hasOlder: false } as const;
const NO_CALLS: CallsView = { incoming: [], open: null };
const noop = () => () => undefined;

const ChatEngineContext = createContext<ChatEngineView | null>(null);

export function ChatEngineProvider({ me, children }: { me: { userId: string; handle: string }; children: ReactNode }) {
  const [engine, setEngine] = useState<ChatEngineView | null>(null);
  useEffect(() => {
    const { tab, release } = holdChatTab(me);
    let cancelled = false;
    let stopListening: () => void = () => undefined;
    void tab.then((running) => {
      if (cancelled) return;
      setEngine(running.current);
      // When the owner tab closes and this one takes over, the UI moves to the engine here.
      stopListening = running.onSwitch(setEngine);
    });
    return () => {
      cancelled = true;
      stopListening();
      release();
      setEngine(null);
    };
    // One engine per person: `me` is a new object on every render of the layout.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [me.userId]);
  return <ChatEngineContext.Provider value={engine}>{children}</ChatEngineContext.Provider>;
}

export function useChatSnapshot(): ChatSnapshot {
  const engine = useContext(ChatEngineContext);
  const getSnapshot = engine ? engine.getSnapshot : () => STARTING_SNAPSHOT;
  return useSyncExternalStore(engine ? engine.subscribe : noop, getSnapshot, getSnapshot);
}

/** The stream's state alone: re-renders only when it changes (for what every message row reads). */
export function useChatConnection(): ConnectionState {
  const engine = useContext(ChatEngineContext);
  const get = () => (engine ? engine.getSnapshot() : STARTING_SNAPSHOT).connection;
  return useSyncExternalStore(engine ? engine.subscribe : noop, get, get);
}

/** The commands; before the engine has loaded they reject with "chat_not_ready" (the UI waits for "ready"). */
export function useChatCommands(): ChatEngineCommands {
  const engine = useContext(ChatEngineContext);
  if (engine) return engine;
  return NOT_READY;
}

/** One conversation's loaded messages (oldest first) and notices; re-renders when they change. */
export function useConversation(conversationId: string): { messages: readonly ChatMessage[]; notices: readonly ConversationNotice[]; hasOlder: boolean } {
  const engine = useContext(ChatEngineContext);
  const get = () => (engine ? engine.messages(conversationId) : EMPTY_THREAD);
  return useSyncExternalStore(engine ? engine.subscribe : noop, get, get);
}

/** Calls ringing here and the call open on this page; re-renders when they change. */
export function useCalls(): CallsView {
  const engine = useContext(ChatEngineContext);
  const get = () => (engine ? engine.calls() : NO_CALLS);
  return useSyncExternalStore(engine ? engine.subscribe : noop, get, get);
}

const notReady = async (): Promise<never> => {
  const { ChatEngineError } = await import("./chat-engine-error");
  throw new ChatEngineError("chat_not_ready");
};

const NOT_READY: ChatEngineCommands = {
  setUpNewDevice: notReady,
  linkWithCode: notReady,
  restoreFromBackup: notReady,
  saveHistory: notReady,
  discardAndSetUpAgain: notReady,
  openConversation: notReady,
  messages: () => EMPTY_THREAD,
  loadOlder: notReady,
  sendText: notReady,
  sendFiles: notReady,
  react: notReady,
  editMessage: notReady,
  deleteForEveryone: notReady,
  deleteForMe: notReady,
  setTyping: async () => undefined,
  setChatSettings: notReady,
  setOfflinePassphrase: notReady,
  removeOfflinePassphrase: notReady,
  unlockOffline: notReady,
  setDisappearingTimer: notReady,
  openViewOnce: notReady,
  cancelUpload: notReady,
  retry: notReady,
  reportMessage: notReady,
  downloadAttachment: notReady,
  cancelDownload: notReady,
  openAttachment: notReady,
  attachmentQuota: notReady,
  markRead: notReady,
  acceptRequest: notReady,
  deleteRequest: notReady,
  blockRequest: notReady,
  search: notReady,
  createGroup: notReady,
  addGroupMembers: notReady,
  removeGroupMember: notReady,
  makeGroupAdmin: notReady,
  editGroup: notReady,
  leaveGroup: notReady,
  groupCandidates: notReady,
  safetyNumber: notReady,
  compareScanned: notReady,
  setVerified: notReady,
  acknowledgeIdentityChange: notReady,
  devices: notReady,
  removeDevice: notReady,
  startLinkOffer: notReady,
  approveLink: notReady,
  cancelLink: notReady,
  enableBackup: notReady,
  confirmRecoveryKeySaved: () => undefined,
  setPassphrase: notReady,
  removePassphrase: notReady,
  backUpNow: notReady,
  backupAttachmentLimit: notReady,
  setBackupAttachmentLimit: notReady,
  calls: () => NO_CALLS,
  startCall: notReady,
  acceptCall: notReady,
  declineCall: notReady,
  openCall: notReady,
  callJoined: notReady,
  rotateCallKey: notReady,
  endCall: notReady,
};
