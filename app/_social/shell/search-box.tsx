import { getTranslations } from "next-intl/server";
import { Icon } from "@/app/_shared/ui/icons";

/** A plain form to /search, so it works before any script runs. "/" focuses it. */
export async function SearchBox() {
  const t = await getTranslations("nav");
  return (
    <form action="/search" method="get" role="search" className="search-box">
      <label htmlFor="global-search" className="sr-only">
        {t("searchLabel")}
      </label>
      <Icon name="search" />
      <input id="global-search" name="q" type="search" placeholder={t("searchPlaceholder")} autoComplete="off" enterKeyHint="search" maxLength={200} />
    </form>
  );
}
