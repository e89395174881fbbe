// The chat's own web app manifest: installed, Hearth Messages opens at /chat and stays within it.
// Its colours are those of the site's light theme (app/layout.tsx); the icon is app/icon.svg.
import { getLocale, getTranslations } from "next-intl/server";

export async function GET(): Promise<Response> {
  const t = await getTranslations("chat.manifest");
  const manifest = {
    id: "/chat",
    name: t("name"),
    short_name: t("shortName"),
    description: t("description"),
    lang: await getLocale(),
    start_url: "/chat",
    scope: "/chat",
    display: "standalone",
    background_color: "#fbf7f2",
    theme_color: "#fbf7f2",
    icons: [{ src: "/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" }],
  };
  return Response.json(manifest, { headers: { "Content-Type": "application/manifest+json", "Cache-Control": "no-cache" } });
}
