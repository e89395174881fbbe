"use client";
import { useChatSnapshot } from "../engine/chat-engine-provider";
import { unreadTotal } from "./unread";

/** Unread private messages on this browser, live (0 until its chat keys are set up). For the navigation's badge. */
export function useChatUnreadCount(): number {
  return unreadTotal(useChatSnapshot());
}
