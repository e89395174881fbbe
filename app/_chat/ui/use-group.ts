"use client";
// A group as this browser knows it, from the conversation list: groups live only on their members'
// devices, so there is nothing to ask the server; an id not in the list is a group unknown here.
import { useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import type { GroupConversationSummary } from "@/app/_chat/engine/types";

export function useGroup(groupId: string): GroupConversationSummary | null {
  const { conversations } = useChatSnapshot();
  return conversations.find((c): c is GroupConversationSummary => c.kind === "group" && c.id === groupId) ?? null;
}
