"use client";
// An open conversation is read when shown, and again whenever something new arrives while the page
// is visible (a hidden tab leaves it unread until it is looked at).
import { useEffect, useRef } from "react";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";

export function useMarkRead(conversationId: string, unread: number): void {
  const commands = useChatCommands();
  const markedOnce = useRef(false);
  useEffect(() => {
    const mark = () => {
      if (document.visibilityState !== "visible") return;
      markedOnce.current = true;
      commands.markRead(conversationId).catch(() => undefined);
    };
    if (unread > 0 || !markedOnce.current) mark();
    const onVisible = () => unread > 0 && mark();
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [commands, conversationId, unread]);
}
