"use client";
// A group as this browser knows it, from the conversation list or the message requests: groups live
// only on their members' devices, so there is nothing to ask the server; an id in neither list is a
// group unknown here.
import { useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import type { ConversationSummary, GroupConversationSummary } from "@/app/_chat/engine/types";

export function useGroup(groupId: string): GroupConversationSummary | null {
  const { conversations, requests } = useChatSnapshot();
  const isThisGroup = (c: ConversationSummary): c is GroupConversationSummary => c.kind === "group" && c.id === groupId;
  return conversations.find(isThisGroup) ?? requests.find(isThisGroup) ?? null;
}
