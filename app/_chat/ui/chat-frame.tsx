// Everything around a page of Messages for a signed-in person: the engine, the alerts (unread count
// in the title, notices), the banner of a call ringing, and the messenger's shell. Also the frame of
// the account's pages in a chat-only deployment, which has no social site to hold them. No tRPC
// provider or TanStack Query: Messages runs on the chat engine (loaded after first paint, with its
// own client), and the few parts that query the server directly (the call buttons, push settings,
// the new-message dialog, a call) bring the provider themselves, which keeps /chat's first load small.
import type { ReactNode } from "react";
import { LazyChatAlerts } from "@/app/_chat/alerts/lazy-chat-alerts";
import { IncomingCallBanner } from "@/app/_chat/calls/ui/incoming-call-banner";
import { ChatEngineProvider } from "@/app/_chat/engine/chat-engine-provider";
import type { ChatMe } from "@/app/_chat/engine/engine-context";
import { ToastProvider } from "@/app/_shared/ui/toast";
import { ChatChrome } from "./chat-chrome";
import { MessengerShell } from "./messenger-shell";
import "./chat.css";

export function ChatFrame({ me, socialSite, children }: { me: ChatMe; socialSite: boolean; children: ReactNode }) {
  return (
    <ChatEngineProvider me={{ userId: me.userId, handle: me.handle }}>
      <ChatChrome>
        <ToastProvider>
          <MessengerShell socialSite={socialSite}>{children}</MessengerShell>
          <LazyChatAlerts />
        </ToastProvider>
      </ChatChrome>
      <IncomingCallBanner />
    </ChatEngineProvider>
  );
}
