"use client";
// "Alice is typing…" under the messages: a polite live region that is always there (so the first
// line is announced), empty while nobody types or typing indicators are off on this device.
import { useTranslations } from "next-intl";
import { useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";

export function TypingLine({ conversationId }: { conversationId: string }) {
  const t = useTranslations("chat.typing");
  const people = useChatSnapshot().typing[conversationId] ?? [];
  const names = people.map((p) => p.displayName || `@${p.handle}`);
  const text =
    names.length === 0
      ? ""
      : names.length === 1
        ? t("one", { name: names[0]! })
        : names.length === 2
          ? t("two", { first: names[0]!, second: names[1]! })
          : t("many", { count: names.length });
  return (
    <p className="chat-typing" role="status" aria-live="polite" data-testid="typing-indicator">
      {text}
    </p>
  );
}
