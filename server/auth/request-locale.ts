import { isLocale, localeCookieName, negotiateLocale, type Locale } from "@/app/_shared/isomorphic/locales";

/** The language a request reads in, as the pages choose it: the cookie, else Accept-Language. */
export function requestLocale(headers: Headers): Locale {
  const cookie = headers.get("cookie") ?? "";
  const chosen = cookie
    .split(";")
    .map((pair) => pair.trim().split("="))
    .find(([name]) => name === localeCookieName)?.[1];
  return isLocale(chosen) ? chosen : negotiateLocale(headers.get("accept-language"));
}
