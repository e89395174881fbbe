// A QR code as inline SVG (no image request, no style attribute): dark modules on a light square
// with the four-module quiet zone scanners need, in both colour schemes. Shared by the chat (device
// linking) and the security settings (two-factor enrolment); `className` sizes it.
import { useMemo } from "react";
import { encode } from "uqr";

const QUIET_ZONE = 4;

export function QrCode({ value, label, className }: { value: string; label: string; className?: string }) {
  const { size, path } = useMemo(() => {
    const { data, size } = encode(value, { ecc: "M", border: 0 });
    return { size, path: modulesPath(data) };
  }, [value]);
  const full = size + QUIET_ZONE * 2;
  return (
    <svg
      className={className}
      role="img"
      aria-label={label}
      viewBox={`${-QUIET_ZONE} ${-QUIET_ZONE} ${full} ${full}`}
      shapeRendering="crispEdges"
      data-testid="qr-code"
      data-value={value}
    >
      <rect x={-QUIET_ZONE} y={-QUIET_ZONE} width={full} height={full} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  );
}

/** One path for all dark modules, each horizontal run drawn as a single rectangle. */
function modulesPath(rows: boolean[][]): string {
  const parts: string[] = [];
  rows.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x++;
      parts.push(`M${start} ${y}h${x - start}v1h${start - x}z`);
    }
  });
  return parts.join("");
}
