// This tab's ChatTab in the browser: Web Locks, a BroadcastChannel, and (only when this tab owns
// the keys) the engine with the crypto core and the full tRPC client (SSE for the stream), loaded
// then and not before.
import type { ChatMe } from "../engine-context";
import { broadcastTabChannel } from "./tab-channel";
import { ChatTab } from "./chat-tab";
import { webTabLock } from "./tab-lock";

export function startBrowserChatTab({ me }: { me: ChatMe }): Promise<ChatTab> {
  return ChatTab.start({
    userId: me.userId,
    tab: crypto.randomUUID(),
    lock: webTabLock(),
    channel: broadcastTabChannel(me.userId),
    async startOwner(release) {
      const [{ ChatEngine }, { browserEnvironment }, { fullTrpcClient }] = await Promise.all([
        import("../chat-engine"),
        import("../engine-environment"),
        import("@/app/_shared/trpc/full-client"),
      ]);
      const engine = new ChatEngine({ client: fullTrpcClient(), me, environment: browserEnvironment(), releaseLock: release });
      engine.start();
      return engine;
    },
  });
}
