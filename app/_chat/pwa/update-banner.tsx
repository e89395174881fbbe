"use client";
// "Update available": a new version of the app waits until the person agrees. While a call is open
// it is not offered (reloading would end the call); when the person agrees while a message is still
// going out online, the reload waits until it has gone (it would resume after the reload, but the
// person sees it leave first). Offline, messages wait in the stored outbox, so the reload is safe.
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useCalls, useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import type { WaitingUpdate } from "./service-worker-client";

export function UpdateBanner({ update, onLater }: { update: WaitingUpdate; onLater(): void }) {
  const t = useTranslations("chat");
  const { conversations, connection } = useChatSnapshot();
  const inCall = useCalls().open !== null;
  const sending = connection === "online" && conversations.some((c) => c.lastMessage?.outgoing && c.lastMessage.state === "sending");
  const [agreed, setAgreed] = useState(false);

  useEffect(() => {
    if (agreed && !inCall && !sending) update.apply();
  }, [agreed, inCall, sending, update]);

  return (
    <section className="chat-update" aria-labelledby="chat-update-title" data-testid="update-banner">
      <p id="chat-update-title" role="status">
        {t("update.available")} {inCall ? t("update.afterCall") : agreed ? t("update.afterSend") : null}
      </p>
      {inCall ? null : (
        <div className="chat-update-actions">
          <button type="button" className="button" onClick={() => setAgreed(true)} disabled={agreed}>
            {t("update.reload")}
          </button>
          <button type="button" className="button button-quiet" onClick={onLater} disabled={agreed}>
            {t("update.later")}
          </button>
        </div>
      )}
    </section>
  );
}
