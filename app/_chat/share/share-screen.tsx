"use client";
// /chat/share: where a photo or text shared into the installed app lands. It shows what came and
// the conversations to send it to; picking one opens that conversation with the text in the field
// and the photos attached, for the person to look over and send (encrypted, as always).
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import { conversationHref, groupHref } from "@/app/_chat/handle-segment";
import { ChatPageHeader } from "../ui/chat-page-header";
import { forgetSharedItems, readSharedItems, type SharedItems } from "./shared-items";

/** The query a conversation is opened with to take the shared items into its composer. */
export const SHARED_QUERY = "shared=1";

export function ShareScreen() {
  const t = useTranslations("chat.share");
  const tChat = useTranslations("chat");
  const { conversations } = useChatSnapshot();
  const [items, setItems] = useState<SharedItems | null | "loading">("loading");

  useEffect(() => {
    let live = true;
    readSharedItems().then(
      (found) => live && setItems(found),
      () => live && setItems(null),
    );
    return () => {
      live = false;
    };
  }, []);

  return (
    <>
      <ChatPageHeader title={t("title")} back={{ href: "/chat", label: tChat("backToConversations") }} />
      <div className="chat-page-body" data-testid="share-screen">
        {items === "loading" ? (
          <p role="status">{t("loading")}</p>
        ) : items === null ? (
          <p role="status">{t("nothing")}</p>
        ) : (
          <>
            <section className="chat-card" aria-labelledby="shared-what">
              <h2 id="shared-what">{t("what")}</h2>
              {items.text ? <p className="chat-share-text">{items.text}</p> : null}
              {items.files.length ? <p>{t("photos", { count: items.files.length })}</p> : null}
              <p className="muted">{t("private")}</p>
              <button type="button" className="button" onClick={() => void forgetSharedItems().then(() => setItems(null))}>
                {t("discard")}
              </button>
            </section>
            <h2>{t("pick")}</h2>
            {conversations.length === 0 ? (
              <p>{t("noConversations")}</p>
            ) : (
              <ul className="chat-conversations" aria-label={t("pick")}>
                {conversations
                  .filter((c) => c.request === null)
                  .map((c) => (
                    <li key={c.id} className="chat-conversation">
                      <Link
                        className="chat-conversation-link"
                        href={`${c.kind === "direct" ? conversationHref(c.peer.handle) : groupHref(c.group.id)}?${SHARED_QUERY}`}
                      >
                        {c.kind === "direct" ? `${c.peer.displayName} (@${c.peer.handle})` : c.group.name}
                      </Link>
                    </li>
                  ))}
              </ul>
            )}
          </>
        )}
      </div>
    </>
  );
}
