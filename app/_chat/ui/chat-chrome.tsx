"use client";
// What every chat screen shares on the client: one clock for relative times, and (in production
// builds) the service worker that lets the installed app start offline, with its "update
// available" offer when a new version waits.
import { useEffect, useState, type ReactNode } from "react";
import { UpdateBanner } from "@/app/_chat/pwa/update-banner";
import type { WaitingUpdate } from "@/app/_chat/pwa/service-worker-client";
import { isProductionBuild } from "@/app/_shared/build-mode";
import { ClockProvider } from "@/app/_shared/ui/clock";

export function ChatChrome({ children }: { children: ReactNode }) {
  const [update, setUpdate] = useState<WaitingUpdate | null>(null);
  useEffect(() => {
    if (!isProductionBuild || !("serviceWorker" in navigator)) return;
    let stop: (() => void) | null = null;
    let cancelled = false;
    void import("@/app/_chat/pwa/service-worker-client")
      .then(({ registerChatServiceWorker }) => registerChatServiceWorker(setUpdate))
      .then((cleanUp) => (cancelled ? cleanUp() : (stop = cleanUp)))
      .catch(() => undefined);
    return () => {
      cancelled = true;
      stop?.();
    };
  }, []);
  return (
    <ClockProvider>
      {children}
      {update ? <UpdateBanner update={update} onLater={() => setUpdate(null)} /> : null}
    </ClockProvider>
  );
}
