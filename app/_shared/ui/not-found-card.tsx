import Link from "next/link";
import { getTranslations } from "next-intl/server";

/**
 * "This page does not exist" (or the reason a page gives instead), inside whichever frame the
 * missing page would have had.
 */
export async function NotFoundCard({ title, body }: { title?: string; body?: string }) {
  const t = await getTranslations("app");
  return (
    <section className="card">
      <h1>{title ?? t("notFoundTitle")}</h1>
      <p>{body ?? t("notFoundBody")}</p>
      <p>
        <Link href="/">{t("backHome")}</Link>
      </p>
    </section>
  );
}
