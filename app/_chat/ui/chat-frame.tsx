// Everything around a page of Messages for a signed-in person: the engine, the alerts (unread count
// in the title, notices), the banner of a call ringing, and the messenger's shell. Also the frame of
// the account's pages in a chat-only deployment, which has no social site to hold them. It brings
// the tRPC client, which the root layout leaves out (the sign-in pages do without it).
import type { ReactNode } from "react";
import { ChatAlerts } from "@/app/_chat/alerts/chat-alerts";
import { IncomingCallBanner } from "@/app/_chat/calls/ui/incoming-call-banner";
import { ChatEngineProvider } from "@/app/_chat/engine/chat-engine-provider";
import type { ChatMe } from "@/app/_chat/engine/engine-context";
import { TRPCReactProvider } from "@/app/_shared/trpc/client";
import { ToastProvider } from "@/app/_shared/ui/toast";
import { ChatChrome } from "./chat-chrome";
import { MessengerShell } from "./messenger-shell";
import "./chat.css";

export function ChatFrame({ me, socialSite, children }: { me: ChatMe; socialSite: boolean; children: ReactNode }) {
  return (
    <TRPCReactProvider>
      <ChatEngineProvider me={{ userId: me.userId, handle: me.handle }}>
        <ChatChrome>
          <ToastProvider>
            <MessengerShell socialSite={socialSite}>{children}</MessengerShell>
            <ChatAlerts />
          </ToastProvider>
        </ChatChrome>
        <IncomingCallBanner />
      </ChatEngineProvider>
    </TRPCReactProvider>
  );
}
