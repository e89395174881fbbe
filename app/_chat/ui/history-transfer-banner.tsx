"use client";
// On a device just linked: the message history its existing device sent is coming in, with how
// far it got. Conversations fill in as its chunks are merged.
import { useTranslations } from "next-intl";
import { useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";

export function HistoryTransferBanner() {
  const t = useTranslations("chat");
  const { historyTransfer } = useChatSnapshot();
  if (!historyTransfer) return null;
  const percent = Math.round(Math.min(1, Math.max(0, historyTransfer.progress)) * 100);
  return (
    <div className="chat-history-transfer" data-testid="history-transfer">
      <p id="chat-history-transfer-label">{t("receivingHistory", { percent })}</p>
      <progress max={100} value={percent} aria-labelledby="chat-history-transfer-label" />
    </div>
  );
}
