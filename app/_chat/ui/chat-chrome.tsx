"use client";
// What every chat screen shares on the client: one clock for relative times, and (in production
// builds) the service worker that lets the installed app start offline.
import { useEffect, type ReactNode } from "react";
import { isProductionBuild } from "@/app/_shared/build-mode";
import { ClockProvider } from "@/app/_shared/ui/clock";

export function ChatChrome({ children }: { children: ReactNode }) {
  useEffect(() => {
    if (!isProductionBuild || !("serviceWorker" in navigator)) return;
    registerServiceWorker().catch(() => undefined);
  }, []);
  return <ClockProvider>{children}</ClockProvider>;
}

async function registerServiceWorker(): Promise<void> {
  // "/chat" rather than "/chat/": a scope matches by prefix, and the app's start page is /chat.
  await navigator.serviceWorker.register("/chat-sw.js", { scope: "/chat" });
  const registration = await navigator.serviceWorker.ready;
  // This page's scripts and styles were fetched before the worker could see them: hand it their
  // addresses so the next start works offline.
  const assets = performance
    .getEntriesByType("resource")
    .map((entry) => new URL(entry.name))
    .filter((url) => url.origin === location.origin && url.pathname.startsWith("/_next/static/"))
    .map((url) => url.pathname + url.search);
  registration.active?.postMessage({ type: "cache-assets", urls: assets });
}
