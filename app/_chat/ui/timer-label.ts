// A disappearing-message timer in words ("5 minutes", "1 week"), for the control, the notices and the mark on a message.
import { useTranslations } from "next-intl";

const UNITS = [
  { unit: "weeks", seconds: 7 * 24 * 60 * 60 },
  { unit: "days", seconds: 24 * 60 * 60 },
  { unit: "hours", seconds: 60 * 60 },
  { unit: "minutes", seconds: 60 },
] as const;

/** The largest whole unit a timer is made of, and how many of it. */
export function timerParts(seconds: number): { unit: (typeof UNITS)[number]["unit"]; count: number } {
  const found = UNITS.find((u) => seconds % u.seconds === 0) ?? UNITS[UNITS.length - 1]!;
  return { unit: found.unit, count: Math.max(1, Math.round(seconds / found.seconds)) };
}

export function useTimerLabel(): (seconds: number) => string {
  const t = useTranslations("chat.disappearing");
  return (seconds) => {
    const { unit, count } = timerParts(seconds);
    return t(`units.${unit}`, { count });
  };
}
