"use client";
// A quiet line while the stream to the server is down. "Connecting" is normal for a moment after
// a page opens, so it shows only when it lasts; once it has, a later reconnect shows at once.
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import { Icon } from "@/app/_shared/ui/icons";

const CONNECTING_GRACE_MS = 3000;

export function ConnectionBanner() {
  const t = useTranslations("chat");
  const { connection } = useChatSnapshot();
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (connection !== "connecting") return;
    const timer = setTimeout(() => setSlow(true), CONNECTING_GRACE_MS);
    return () => clearTimeout(timer);
  }, [connection]);
  const offline = connection === "offline";
  const shown = offline || (connection === "connecting" && slow);
  return (
    <div
      role="status"
      className={!shown ? "chat-connection chat-connection-hidden" : offline ? "chat-connection chat-connection-offline" : "chat-connection"}
      data-testid="connection-banner"
    >
      {shown ? (
        offline ? (
          <>
            <Icon name="warning" />
            {t("offline")}
          </>
        ) : (
          t("connecting")
        )
      ) : null}
    </div>
  );
}
