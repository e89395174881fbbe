"use client";
// Relative times ("5 min. ago") on the one clock every screen shares; for posts and messages alike.
import { useFormatter } from "next-intl";
import { useClock } from "@/app/_shared/ui/clock";

/** "5 minutes ago", with the exact time as a tooltip and in the machine-readable attribute; `at` as a Date or as the ISO string tRPC sends. */
export function RelativeTime({ date: at, id }: { date: Date | string; id?: string }) {
  const date = typeof at === "string" ? new Date(at) : at;
  const format = useFormatter();
  const now = useClock();
  // The clock ticks every 30 s, and another device's clock may run ahead: never "in 10 seconds".
  const shown = date.getTime() > now.getTime() ? now : date;
  return (
    <time id={id} dateTime={date.toISOString()} title={format.dateTime(date, { dateStyle: "long", timeStyle: "short" })}>
      {format.relativeTime(shown, { now, style: "narrow" })}
    </time>
  );
}
