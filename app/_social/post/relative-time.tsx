"use client";
import { useFormatter } from "next-intl";
import { useClock } from "@/app/_shared/ui/clock";

/** "5 minutes ago", with the exact time as a tooltip and in the machine-readable attribute. */
export function RelativeTime({ date, id }: { date: Date; id?: string }) {
  const format = useFormatter();
  const now = useClock();
  // The clock ticks every 30 s; a post written since then must not read "in 10 seconds".
  const shown = date.getTime() > now.getTime() ? now : date;
  return (
    <time id={id} dateTime={date.toISOString()} title={format.dateTime(date, { dateStyle: "long", timeStyle: "short" })}>
      {format.relativeTime(shown, { now, style: "narrow" })}
    </time>
  );
}
