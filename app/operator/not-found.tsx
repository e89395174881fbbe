import { getTranslations } from "next-intl/server";
import { NotFoundCard } from "@/app/_shared/ui/not-found-card";

/** What everyone but an operator gets on every operator page (analytics, reports), with a 404 status. */
export default async function NotAnOperator() {
  const t = await getTranslations("operator");
  return <NotFoundCard title={t("notOperatorTitle")} body={t("notOperatorBody")} />;
}
