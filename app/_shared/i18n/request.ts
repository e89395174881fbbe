// next-intl's per-request configuration: an explicit choice (cookie) wins, then the browser's
// Accept-Language. The cookie is set from settings and, at log-in, from the account's preference.
// Times are shown in the browser's time zone, which <TimeZoneSync> reports in a cookie.
import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { isLocale, isTimeZone, localeCookieName, negotiateLocale, timeZoneCookieName } from "@/app/_shared/isomorphic/locales";

export default getRequestConfig(async () => {
  const cookieStore = await cookies();
  const chosen = cookieStore.get(localeCookieName)?.value;
  const locale = isLocale(chosen) ? chosen : negotiateLocale((await headers()).get("accept-language"));
  const zone = cookieStore.get(timeZoneCookieName)?.value;
  // Each module keeps its own catalogue (namespaces do not overlap); they are merged here.
  const [shared, privacy, chat] = await Promise.all([
    import(`./messages/${locale}.json`),
    import(`../../_privacy/messages/${locale}.json`),
    import(`../../_chat/messages/${locale}.json`),
  ]);
  const messages = { ...shared.default, ...privacy.default, ...chat.default };
  return { locale, messages, timeZone: zone && isTimeZone(zone) ? zone : "UTC", now: new Date() };
});
