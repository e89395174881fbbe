"use client";
// Names for what the server reports by code: purposes (and the log's "export" and "operator"),
// data categories and the screens a decision was made on. Unknown codes are shown as they are,
// so a purpose added on the server is never hidden from the person.
import { useFormatter, useTranslations } from "next-intl";

export function usePrivacyLabels() {
  const t = useTranslations("privacy");
  const format = useFormatter();
  const purposeName = (purpose: string) => (t.has(`purposeNames.${purpose}`) ? t(`purposeNames.${purpose}`) : purpose);
  const categoryName = (category: string) => {
    const key = `categories.${category.replace(/ /g, "_")}`;
    return t.has(key) ? t(key) : category;
  };
  return {
    purposeName,
    categoryList: (categories: readonly string[]) => format.list(categories.map(categoryName), { type: "conjunction" }),
    screenName: (source: string) => {
      if (source === "settings/privacy") return t("screenSettings");
      if (source === "welcome") return t("screenWelcome");
      if (source === "chat/notifications") return t("screenChatNotifications");
      return source;
    },
  };
}
