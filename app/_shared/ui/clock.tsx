"use client";
// One clock for every relative time on the page ("3 minutes ago"), ticking twice a minute, so
// a long timeline or message list runs one timer rather than one per row.
import { useNow } from "next-intl";
import { createContext, useContext, type ReactNode } from "react";

const ClockContext = createContext<Date | null>(null);

export function ClockProvider({ children }: { children: ReactNode }) {
  const now = useNow({ updateInterval: 30_000 });
  return <ClockContext value={now}>{children}</ClockContext>;
}

export function useClock(): Date {
  const shared = useContext(ClockContext);
  const fallback = useNow();
  return shared ?? fallback;
}
