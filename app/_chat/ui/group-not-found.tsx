"use client";
// A group id this browser does not know (groups live only on their members' devices: one set up
// elsewhere before this browser was linked, or a wrong address), with the way back.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { Icon } from "@/app/_shared/ui/icons";
import { ChatPageHeader } from "./chat-page-header";

export function GroupNotFound() {
  const t = useTranslations("chat");
  return (
    <>
      <ChatPageHeader title={t("group.pageTitle")} back={{ href: "/chat", label: t("backToConversations") }} />
      <div className="empty-state-block" data-testid="group-not-found">
        <Icon name="warning" className="empty-state-icon" />
        <h2>{t("group.notFoundTitle")}</h2>
        <p className="muted">{t("group.notFoundBody")}</p>
        <div className="chat-actions chat-actions-center">
          <Link href="/chat" className="button button-primary">
            {t("backToConversations")}
          </Link>
        </div>
      </div>
    </>
  );
}
