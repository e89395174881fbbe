"use client";
// The person behind /chat/@handle. The engine looks them up (and remembers them); a conversation
// already on this browser is shown at once, offline too, and only a final answer (not found,
// blocked) replaces it with an error.
import { useEffect, useState } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands, useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import type { ChatPerson, DirectConversationSummary } from "@/app/_chat/engine/types";

const FINAL_ERRORS = new Set(["chat_person_not_found", "chat_blocked"]);

export type OpenedPeer =
  | { kind: "loading" }
  | { kind: "error"; code: string; final: boolean; retry: () => void }
  | { kind: "open"; peer: ChatPerson; summary: DirectConversationSummary | null };

export function useOpenedPeer(handle: string): OpenedPeer {
  const commands = useChatCommands();
  const { conversations, requests } = useChatSnapshot();
  const [opened, setOpened] = useState<{ handle: string; peer: ChatPerson } | { handle: string; error: string } | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    commands.openConversation(handle).then(
      (peer) => current && setOpened({ handle, peer }),
      (error: unknown) => current && setOpened({ handle, error: chatErrorCode(error) }),
    );
    return () => {
      current = false;
    };
  }, [commands, handle, attempt]);

  const answer = opened?.handle === handle ? opened : null;
  // A message request opens like any conversation (with its request bar).
  const direct = [...conversations, ...requests].filter((c): c is DirectConversationSummary => c.kind === "direct");
  const known = direct.find((c) => c.peer.handle === handle);
  const peer = answer && "peer" in answer ? answer.peer : (known?.peer ?? null);
  const error = answer && "error" in answer ? answer.error : null;
  if (error && (FINAL_ERRORS.has(error) || !peer)) {
    return {
      kind: "error",
      code: error,
      final: FINAL_ERRORS.has(error),
      retry: () => {
        setOpened(null);
        setAttempt((n) => n + 1);
      },
    };
  }
  if (!peer) return { kind: "loading" };
  return { kind: "open", peer, summary: direct.find((c) => c.id === peer.userId) ?? null };
}
