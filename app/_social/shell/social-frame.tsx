// The frame of every page of the social site (and of the account's settings within it): for a
// signed-in person the social shell, with private messages running underneath (the navigation's
// unread count, notices, a call ringing); for a visitor the plain frame.
import type { ReactNode } from "react";
import { PlainFrame } from "@/app/_shared/ui/plain-frame";
import { LazyQueryProvider } from "@/app/_shared/trpc/lazy-query-provider";
import { serverCaller } from "@/app/_shared/trpc/server";
import { ChatEngineProvider } from "@/app/_chat/engine/chat-engine-provider";
import { IncomingCallBanner } from "@/app/_chat/calls/ui/incoming-call-banner";
import { SocialShell } from "./social-shell";

export async function SocialFrame({ children }: { children: ReactNode }) {
  const caller = await serverCaller();
  const me = await caller.auth.me();
  if (!me)
    return (
      <PlainFrame>
        <LazyQueryProvider>{children}</LazyQueryProvider>
      </PlainFrame>
    );
  // The shell shows the person's picture; the profile is the one place that knows it.
  const profile = await caller.social.people.profile({ handle: me.handle }).catch(() => null);
  return (
    <>
      {/* Loaded after first paint; the same engine carries on into Messages' own layout (engine/tabs/held-chat-tab.ts). */}
      <ChatEngineProvider me={{ userId: me.userId, handle: me.handle }}>
        <SocialShell viewer={{ handle: me.handle, displayName: me.displayName, avatarUrl: profile?.avatarUrl ?? null }}>{children}</SocialShell>
        {/* A call rings in whichever tab the person is in; answering there moves the keys to it. */}
        <IncomingCallBanner />
      </ChatEngineProvider>
    </>
  );
}
