// The frame of the account's own pages (settings, security, the privacy dashboard, the choices
// after sign-up, the operators' pages): the social site's, where there is one; in a chat-only
// deployment (HEARTH_APP=chat) Messages' own, so the account stays one click from the chat.
import type { ReactNode } from "react";
import { ChatFrame } from "@/app/_chat/ui/chat-frame";
import { servesSocialSite } from "@/app/_shared/served-app";
import { TRPCReactProvider } from "@/app/_shared/trpc/client";
import { serverCaller } from "@/app/_shared/trpc/server";
import { PlainFrame } from "@/app/_shared/ui/plain-frame";
import { SocialFrame } from "@/app/_social/shell/social-frame";

export async function AccountFrame({ children }: { children: ReactNode }) {
  if (servesSocialSite()) return <SocialFrame>{children}</SocialFrame>;
  const me = await (await serverCaller()).auth.me();
  if (!me)
    return (
      <TRPCReactProvider>
        <PlainFrame>{children}</PlainFrame>
      </TRPCReactProvider>
    );
  // Messages' frame has no tRPC provider of its own (see chat-frame.tsx); the account's pages use it throughout.
  return (
    <ChatFrame me={me} socialSite={false}>
      <TRPCReactProvider>{children}</TRPCReactProvider>
    </ChatFrame>
  );
}
