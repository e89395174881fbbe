// Draws Hearth Messages' install images with sharp, from app/icon.svg's flame and the site's
// colours (app/layout.tsx): icons at 192 and 512 px, maskable ones (the flame inside the central
// 60%, the safe zone every mask keeps, on a full-bleed background), and two screenshots for the
// install dialog (narrow and wide) drawn as a schematic of the messenger with made-up names.
// Run `npx tsx scripts/pwa/make-chat-icons.ts` after changing the look; the PNGs are committed.
import { mkdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";

const OUT = path.resolve("public/chat-icons");
const BRAND = "#b4451f";
const FLAME = "#fff4e8";
const PAPER = "#fbf7f2";
const INK = "#2b211b";
const MUTED = "#8a7b70";
const FLAME_PATH = "M16 6c2 5 7 7 7 13a7 7 0 0 1-14 0c0-3 1.5-5 3-6.5.2 2.3 1.3 3.5 2.5 3.5C14 12 14 9 16 6z";

const icon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="${BRAND}"/><path d="${FLAME_PATH}" fill="${FLAME}"/></svg>`;
// The flame spans y 6–26 of 32: scaled by 0.6 about the centre it stays inside the safe zone.
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="${BRAND}"/><path d="${FLAME_PATH}" fill="${FLAME}" transform="translate(16 16) scale(0.6) translate(-16 -16)"/></svg>`;

function conversationRows(x: number, y: number, width: number, count: number): string {
  const names = ["Ada", "Ben", "Chiara", "Dev", "Elif", "Farid", "Greta"];
  return names
    .slice(0, count)
    .map((name, i) => {
      const top = y + i * 84;
      return `<circle cx="${x + 32}" cy="${top + 36}" r="24" fill="${i % 2 ? "#d98b5f" : BRAND}" opacity="0.85"/>
        <text x="${x + 72}" y="${top + 30}" font-family="sans-serif" font-size="22" font-weight="600" fill="${INK}">${name}</text>
        <rect x="${x + 72}" y="${top + 42}" width="${Math.max(80, width - 140 - i * 18)}" height="12" rx="6" fill="${MUTED}" opacity="0.45"/>`;
    })
    .join("");
}

function bubbles(x: number, y: number, width: number): string {
  const rows = [
    { mine: false, w: 0.62 },
    { mine: true, w: 0.48 },
    { mine: false, w: 0.7 },
    { mine: true, w: 0.36 },
    { mine: false, w: 0.55 },
  ];
  return rows
    .map((row, i) => {
      const w = Math.round(width * row.w);
      const left = row.mine ? x + width - w : x;
      return `<rect x="${left}" y="${y + i * 92}" width="${w}" height="64" rx="20" fill="${row.mine ? BRAND : "#efe6dc"}"/>
        <rect x="${left + 20}" y="${y + i * 92 + 26}" width="${w - 40}" height="12" rx="6" fill="${row.mine ? FLAME : MUTED}" opacity="0.7"/>`;
    })
    .join("");
}

function header(width: number, title: string): string {
  return `<rect width="${width}" height="88" fill="${PAPER}"/><rect y="88" width="${width}" height="2" fill="#e6dccf"/>
    <rect x="24" y="24" width="40" height="40" rx="9" fill="${BRAND}"/><path d="${FLAME_PATH}" fill="${FLAME}" transform="translate(24 24) scale(1.25)"/>
    <text x="80" y="55" font-family="sans-serif" font-size="26" font-weight="700" fill="${INK}">${title}</text>`;
}

const narrow = (w: number, h: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="${PAPER}"/>
  ${header(w, "Messages")}${conversationRows(24, 120, w - 48, 7)}</svg>`;

const wide = (w: number, h: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="${PAPER}"/>
  ${header(w, "Messages")}${conversationRows(24, 120, 360, 7)}<rect x="420" y="90" width="2" height="${h - 90}" fill="#e6dccf"/>
  <text x="460" y="140" font-family="sans-serif" font-size="24" font-weight="600" fill="${INK}">Ada</text>${bubbles(460, 180, w - 500)}
  <rect x="460" y="${h - 96}" width="${w - 500}" height="56" rx="28" fill="#ffffff" stroke="#e6dccf" stroke-width="2"/></svg>`;

async function main() {
  mkdirSync(OUT, { recursive: true });
  const png = (svg: string, size?: number) => sharp(Buffer.from(svg), { density: 300 }).resize(size).png({ compressionLevel: 9, palette: true });
  for (const size of [192, 512]) {
    await png(icon, size).toFile(path.join(OUT, `icon-${size}.png`));
    await png(maskable, size).toFile(path.join(OUT, `maskable-${size}.png`));
  }
  await sharp(Buffer.from(narrow(540, 1200)))
    .png({ compressionLevel: 9, palette: true })
    .toFile(path.join(OUT, "screenshot-narrow.png"));
  await sharp(Buffer.from(wide(1280, 800)))
    .png({ compressionLevel: 9, palette: true })
    .toFile(path.join(OUT, "screenshot-wide.png"));
}

await main();
