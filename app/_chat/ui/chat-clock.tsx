"use client";
// Relative times in the chat ("5 min. ago"), on the one clock every screen shares.
import { useFormatter } from "next-intl";
import { useClock } from "@/app/_shared/ui/clock";

/** "5 min. ago", with the exact time as a tooltip and in the machine-readable attribute. */
export function RelativeTime({ at }: { at: number }) {
  const format = useFormatter();
  const now = useClock();
  const date = new Date(at);
  // Another device's clock may run ahead of ours: never show "in 10 seconds".
  const shown = at > now.getTime() ? now : date;
  return (
    <time dateTime={date.toISOString()} title={format.dateTime(date, { dateStyle: "long", timeStyle: "short" })}>
      {format.relativeTime(shown, { now, style: "narrow" })}
    </time>
  );
}
