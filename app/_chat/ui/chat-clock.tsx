"use client";
// One clock for every relative time in the chat ("5 min. ago"), ticking twice a minute, so a long
// list runs one timer rather than one per row.
import { useFormatter, useNow } from "next-intl";
import { createContext, useContext, type ReactNode } from "react";

const ClockContext = createContext<Date | null>(null);

export function ChatClockProvider({ children }: { children: ReactNode }) {
  const now = useNow({ updateInterval: 30_000 });
  return <ClockContext value={now}>{children}</ClockContext>;
}

export function useChatClock(): Date {
  const shared = useContext(ClockContext);
  const fallback = useNow();
  return shared ?? fallback;
}

/** "5 min. ago", with the exact time as a tooltip and in the machine-readable attribute. */
export function RelativeTime({ at }: { at: number }) {
  const format = useFormatter();
  const now = useChatClock();
  const date = new Date(at);
  // Another device's clock may run ahead of ours: never show "in 10 seconds".
  const shown = at > now.getTime() ? now : date;
  return (
    <time dateTime={date.toISOString()} title={format.dateTime(date, { dateStyle: "long", timeStyle: "short" })}>
      {format.relativeTime(shown, { now, style: "narrow" })}
    </time>
  );
}
