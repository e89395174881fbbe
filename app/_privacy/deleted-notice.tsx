// What the log-in page says after an account was deleted (/login?deleted=1, plus &purged=1 when it
// was erased at once). The page passes its search parameters.
import { getTranslations } from "next-intl/server";

export async function DeletedNotice({ searchParams }: { searchParams: Record<string, string | string[] | undefined> }) {
  if (searchParams.deleted !== "1") return null;
  const t = await getTranslations("privacy");
  return <p className="privacy-notice privacy-notice-done">{searchParams.purged === "1" ? t("purgedNotice") : t("deletedNotice")}</p>;
}
