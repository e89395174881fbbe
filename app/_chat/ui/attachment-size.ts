// A file's size in words ("3.2 MB"), in binary steps (1 MB = 1,048,576 bytes) as the limits are
// counted, so a file at the 100 MB limit reads "100 MB": one decimal below 10 of a unit, none above.
import type { useFormatter } from "next-intl";

export type SizeUnit = "byte" | "kilobyte" | "megabyte" | "gigabyte";
const UNITS: readonly SizeUnit[] = ["byte", "kilobyte", "megabyte", "gigabyte"];
const STEP = 1024;

export function fileSizeParts(bytes: number): { value: number; unit: SizeUnit } {
  let value = Math.max(0, bytes);
  let index = 0;
  while (value >= STEP && index < UNITS.length - 1) {
    value /= STEP;
    index++;
  }
  let rounded = index === 0 ? Math.round(value) : value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  // 1,048,575 bytes would otherwise read "1024 kB".
  if (rounded >= STEP && index < UNITS.length - 1) {
    rounded = 1;
    index++;
  }
  return { value: rounded, unit: UNITS[index]! };
}

export function formatFileSize(bytes: number, format: ReturnType<typeof useFormatter>): string {
  const { value, unit } = fileSizeParts(bytes);
  // "12 bytes" in full; "kB", "MB" and "GB" short, as people know them.
  return format.number(value, { style: "unit", unit, unitDisplay: unit === "byte" ? "long" : "short", maximumFractionDigits: 1 });
}
