import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** The header of the signed-out pages (log in, sign up): the name and nothing to navigate. */
export async function AppHeader() {
  const t = await getTranslations("app");
  return (
    <header className="app-header">
      <Link href="/" className="brand">
        <span aria-hidden="true" className="brand-mark">
          ◆
        </span>
        {t("name")}
      </Link>
    </header>
  );
}
