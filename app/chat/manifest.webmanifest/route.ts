// The chat's own web app manifest: installed, Hearth Messages opens at /chat and stays within it.
// Its colours are the site's light theme, and its dark one where the browser supports a colour
// scheme preference (app/layout.tsx); the images are drawn by scripts/pwa/make-chat-icons.ts.
// id, scope and start_url are "/chat", not "/chat/": Next answers /chat/ with a redirect to /chat,
// which a "/chat/" scope would leave out. The share target posts to the service worker
// (app/_chat/pwa/service-worker.js), which keeps the shared photo or text on the device: the server never sees it.
import { getLocale, getTranslations } from "next-intl/server";

const LIGHT = { background_color: "#fbf7f2", theme_color: "#fbf7f2" };
const DARK = { background_color: "#17130f", theme_color: "#17130f" };

export async function GET(): Promise<Response> {
  const t = await getTranslations("chat.manifest");
  const icon = (name: string, size: number, purpose: "any" | "maskable") => ({
    src: `/chat-icons/${name}-${size}.png`,
    sizes: `${size}x${size}`,
    type: "image/png",
    purpose,
  });
  const manifest = {
    id: "/chat",
    name: t("name"),
    short_name: t("shortName"),
    description: t("description"),
    lang: await getLocale(),
    start_url: "/chat",
    scope: "/chat",
    display: "standalone",
    ...LIGHT,
    user_preferences: { color_scheme_dark: DARK },
    icons: [
      icon("icon", 192, "any"),
      icon("icon", 512, "any"),
      icon("maskable", 192, "maskable"),
      icon("maskable", 512, "maskable"),
      { src: "/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" },
    ],
    screenshots: [
      { src: "/chat-icons/screenshot-narrow.png", sizes: "540x1200", type: "image/png", form_factor: "narrow", label: t("screenshotLabel") },
      { src: "/chat-icons/screenshot-wide.png", sizes: "1280x800", type: "image/png", form_factor: "wide", label: t("screenshotLabel") },
    ],
    share_target: {
      action: "/chat/share",
      method: "POST",
      enctype: "multipart/form-data",
      params: { title: "title", text: "text", url: "url", files: [{ name: "photos", accept: ["image/jpeg", "image/png", "image/webp", "image/gif"] }] },
    },
  };
  return Response.json(manifest, { headers: { "Content-Type": "application/manifest+json", "Cache-Control": "no-cache" } });
}
