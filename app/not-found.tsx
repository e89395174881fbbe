import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function NotFound() {
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
