"use client";
import { useRouter } from "next/navigation";
import { useTimeZone } from "next-intl";
import { useEffect } from "react";
import { timeZoneCookieName } from "@/app/_shared/isomorphic/locales";

/** Tells the server the browser's time zone once, then re-renders with local times. */
export function TimeZoneSync() {
  const serverZone = useTimeZone();
  const router = useRouter();
  useEffect(() => {
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (browserZone && browserZone !== serverZone) {
      document.cookie = `${timeZoneCookieName}=${browserZone}; Path=/; Max-Age=31536000; SameSite=Lax`;
      router.refresh();
    }
  }, [serverZone, router]);
  return null;
}
