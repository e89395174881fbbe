"use client";
// Said on top of a group's pages once this person has left it or was removed: what they had stays
// readable here, but nothing new arrives and nothing can be sent.
import { useTranslations } from "next-intl";
import type { GroupView } from "@/app/_chat/engine/types";
import { Icon } from "@/app/_shared/ui/icons";

export function MembershipBanner({ membership }: { membership: GroupView["membership"] }) {
  const t = useTranslations("chat");
  // The live region stays in the page (empty while a member), so the change is announced.
  return (
    <div role="status" className="chat-membership">
      {membership === "member" ? null : (
        <div className="chat-identity-banner" data-testid="removed-banner" data-membership={membership}>
          <Icon name={membership === "removed" ? "block" : "history"} />
          <p className="chat-identity-text">{membership === "removed" ? t("group.removedBanner") : t("group.leftBanner")}</p>
        </div>
      )}
    </div>
  );
}
