import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** "This page does not exist", inside whichever frame the missing page would have had. */
export async function NotFoundCard() {
  const t = await getTranslations("app");
  return (
    <section className="card">
      <h1>{t("notFoundTitle")}</h1>
      <p>{t("notFoundBody")}</p>
      <p>
        <Link href="/">{t("backHome")}</Link>
      </p>
    </section>
  );
}
