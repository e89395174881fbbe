// This tab's ChatTab in the browser: Web Locks, a BroadcastChannel, and (only when this tab owns
// the keys) the engine with the crypto core, loaded then and not before.
import type { ChatApiClient, ChatMe } from "../engine-context";
import { broadcastTabChannel } from "./tab-channel";
import { ChatTab } from "./chat-tab";
import { webTabLock } from "./tab-lock";

export function startBrowserChatTab({ client, me }: { client: ChatApiClient; me: ChatMe }): Promise<ChatTab> {
  return ChatTab.start({
    userId: me.userId,
    tab: crypto.randomUUID(),
    lock: webTabLock(),
    channel: broadcastTabChannel(me.userId),
    async startOwner(release) {
      const [{ ChatEngine }, { browserEnvironment }] = await Promise.all([import("../chat-engine"), import("../engine-environment")]);
      const engine = new ChatEngine({ client, me, environment: browserEnvironment(), releaseLock: release });
      engine.start();
      return engine;
    },
  });
}
