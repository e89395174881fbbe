import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** What everyone but an operator gets on every operator page (analytics, reports), with a 404 status. */
export default async function NotAnOperator() {
  const t = await getTranslations("operator");
  return (
    <section className="card">
      <h1>{t("notOperatorTitle")}</h1>
      <p>{t("notOperatorBody")}</p>
      <p>
        <Link href="/">{t("backHome")}</Link>
      </p>
    </section>
  );
}
