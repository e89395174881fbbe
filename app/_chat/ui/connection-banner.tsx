"use client";
// A quiet line while the stream to the server is down. "Connecting" is normal for a moment after
// a page opens, so it shows only when it lasts; once it has, a later reconnect shows at once.
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";

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
  const shown = connection === "offline" || (connection === "connecting" && slow);
  return (
    <div role="status" className={shown ? "chat-connection" : "chat-connection chat-connection-hidden"} data-testid="connection-banner">
      {shown ? (connection === "offline" ? t("offline") : t("connecting")) : null}
    </div>
  );
}
