import { DEFAULT_CHAT_SETTINGS, type ChatSnapshot } from "./types";

/** What the UI shows before the engine has loaded and while it starts. */
export const STARTING_SNAPSHOT: ChatSnapshot = {
  status: { kind: "starting" },
  connection: "connecting",
  conversations: [],
  requests: [],
  backup: { enabled: false, hasPassphrase: false, lastBackupAt: null, running: false, error: null, pendingRecoveryKey: null },
  link: null,
  historyTransfer: null,
  settings: DEFAULT_CHAT_SETTINGS,
  offlinePassphrase: false,
  typing: {},
};
