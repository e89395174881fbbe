// Pictures for the demo world, drawn locally (no downloads): landscapes, night skies, abstract
// compositions and textures, from SVG or raw pixels, encoded the way uploads are stored (WebP full
// size plus a WebP preview of at most 640 px) and described by alt text that says what is drawn.
import sharp from "sharp";
import type { Random } from "./random";

export const PREVIEW_MAX_SIDE = 640;
export const IMAGE_MIME_TYPE = "image/webp";

export type PictureKind = "sunset" | "mountains" | "bokeh" | "shapes" | "waves" | "night" | "marble";
export type AvatarKind = "rings" | "planet" | "shapes";

export const PICTURE_KINDS: readonly PictureKind[] = ["sunset", "mountains", "bokeh", "shapes", "waves", "night", "marble"];
export const AVATAR_KINDS: readonly AvatarKind[] = ["rings", "planet", "shapes"];

export interface RenderedImage {
  full: Buffer;
  preview: Buffer;
  width: number;
  height: number;
  altText: string;
}

interface NamedColor {
  name: string;
  hex: string;
}

const SKIES_WARM: readonly [NamedColor, NamedColor][] = [
  [
    { name: "violet", hex: "#3d1e6d" },
    { name: "orange", hex: "#ff8c42" },
  ],
  [
    { name: "deep blue", hex: "#1d3557" },
    { name: "pink", hex: "#f4a6b7" },
  ],
  [
    { name: "plum", hex: "#5b2a86" },
    { name: "peach", hex: "#ffb385" },
  ],
  [
    { name: "crimson", hex: "#6a0d2b" },
    { name: "gold", hex: "#ffc857" },
  ],
];
const SKIES_DAY: readonly [NamedColor, NamedColor][] = [
  [
    { name: "pale blue", hex: "#8ecae6" },
    { name: "white", hex: "#f1faee" },
  ],
  [
    { name: "bright blue", hex: "#4ea8de" },
    { name: "light grey", hex: "#dfe7ec" },
  ],
  [
    { name: "lilac", hex: "#b8a1d9" },
    { name: "soft pink", hex: "#fde2e4" },
  ],
];
const PALETTE: readonly NamedColor[] = [
  { name: "coral", hex: "#ff6f59" },
  { name: "mustard", hex: "#e9b949" },
  { name: "teal", hex: "#2a9d8f" },
  { name: "navy", hex: "#264653" },
  { name: "rust", hex: "#c8553d" },
  { name: "sage", hex: "#8ab17d" },
  { name: "sky blue", hex: "#48cae4" },
  { name: "magenta", hex: "#d81159" },
  { name: "lavender", hex: "#a594f9" },
  { name: "ochre", hex: "#cc7722" },
  { name: "forest green", hex: "#2d6a4f" },
  { name: "cobalt", hex: "#0047ab" },
  { name: "salmon", hex: "#fa8072" },
  { name: "charcoal", hex: "#36454f" },
  { name: "lemon yellow", hex: "#fff44f" },
];
const BACKGROUNDS: readonly NamedColor[] = [
  { name: "cream", hex: "#f6f1e7" },
  { name: "off-white", hex: "#fafafa" },
  { name: "pale grey", hex: "#e5e5e5" },
  { name: "sand", hex: "#e9dcc9" },
  { name: "black", hex: "#111111" },
  { name: "dark blue", hex: "#14213d" },
];

const f = (n: number) => n.toFixed(1);

function distinctColors(random: Random, count: number): NamedColor[] {
  const pool = [...PALETTE];
  const out: NamedColor[] = [];
  while (out.length < count && pool.length) out.push(pool.splice(random.int(pool.length), 1)[0]!);
  return out;
}

function list(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

function mix(a: string, b: string, t: number): string {
  const pa = [1, 3, 5].map((i) => parseInt(a.slice(i, i + 2), 16));
  const pb = [1, 3, 5].map((i) => parseInt(b.slice(i, i + 2), 16));
  return `#${pa
    .map((v, i) =>
      Math.round(v + (pb[i]! - v) * t)
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

function svg(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`;
}

function ridge(random: Random, width: number, height: number, base: number, amplitude: number, jagged: boolean): string {
  const steps = jagged ? 7 + random.int(6) : 24;
  const phase = random.next() * Math.PI * 2;
  const points: string[] = [];
  for (let i = 0; i <= steps; i++) {
    const x = (i / steps) * width;
    const y = jagged
      ? base - (i % 2 === 0 ? random.next() * 0.3 : 0.6 + random.next() * 0.4) * amplitude
      : base - amplitude * (0.5 + 0.3 * Math.sin((i / steps) * Math.PI * 2 + phase) + 0.2 * Math.sin((i / steps) * Math.PI * 5 + phase * 2));
    points.push(`${f(x)},${f(y)}`);
  }
  return `M0,${height} L${points.join(" L")} L${width},${height} Z`;
}

function sunset(random: Random, w: number, h: number): { svg: string; alt: string } {
  const [top, bottom] = random.pick(SKIES_WARM);
  const sun = random.pick([
    { name: "golden", hex: "#ffd166" },
    { name: "pale yellow", hex: "#fff3b0" },
    { name: "red", hex: "#ef476f" },
  ]);
  const layers = 2 + random.int(3);
  const horizon = h * (0.55 + random.next() * 0.15);
  const hillBase = random.pick([
    { name: "green", hex: "#2d6a4f" },
    { name: "blue-grey", hex: "#34495e" },
    { name: "purple", hex: "#40304f" },
  ]);
  let hills = "";
  for (let i = 0; i < layers; i++) {
    const base = horizon + ((h - horizon) * (i + 1)) / (layers + 1);
    hills += `<path d="${ridge(random, w, h, base, h * 0.12, false)}" fill="${mix(hillBase.hex, "#000000", i / (layers + 1))}"/>`;
  }
  const body =
    `<defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top.hex}"/><stop offset="1" stop-color="${bottom.hex}"/></linearGradient></defs>` +
    `<rect width="${w}" height="${h}" fill="url(#s)"/>` +
    `<circle cx="${f(w * (0.2 + random.next() * 0.6))}" cy="${f(horizon)}" r="${f(h * (0.08 + random.next() * 0.06))}" fill="${sun.hex}"/>` +
    hills;
  return {
    svg: svg(w, h, body),
    alt: `A sunset over ${layers} layers of rolling ${hillBase.name} hills: the sky fades from ${top.name} to ${bottom.name}, with a ${sun.name} sun low on the horizon.`,
  };
}

function mountains(random: Random, w: number, h: number): { svg: string; alt: string } {
  const [top, bottom] = random.pick(SKIES_DAY);
  const rock = random.pick([
    { name: "slate grey", hex: "#4a5568" },
    { name: "brown", hex: "#6b4f3a" },
    { name: "dark blue", hex: "#2b3a55" },
  ]);
  const lake = random.chance(0.5);
  const baseY = lake ? h * 0.7 : h;
  let peaks = "";
  const count = 3 + random.int(3);
  for (let i = 0; i < count; i++) {
    const cx = (w * (i + 0.5)) / count + (random.next() - 0.5) * w * 0.1;
    const peakY = h * (0.15 + random.next() * 0.3);
    const half = w * (0.18 + random.next() * 0.12);
    const color = mix(rock.hex, "#ffffff", random.next() * 0.25);
    const snowY = peakY + (baseY - peakY) * 0.22;
    const snowHalf = (half * (snowY - peakY)) / (baseY - peakY);
    peaks +=
      `<polygon points="${f(cx - half)},${f(baseY)} ${f(cx)},${f(peakY)} ${f(cx + half)},${f(baseY)}" fill="${color}"/>` +
      `<polygon points="${f(cx - snowHalf)},${f(snowY)} ${f(cx)},${f(peakY)} ${f(cx + snowHalf)},${f(snowY)}" fill="#f8f9fa"/>`;
  }
  const water = lake ? `<rect y="${f(baseY)}" width="${w}" height="${f(h - baseY)}" fill="url(#l)"/>` : "";
  const body =
    `<defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top.hex}"/><stop offset="1" stop-color="${bottom.hex}"/></linearGradient>` +
    `<linearGradient id="l" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${mix(rock.hex, top.hex, 0.6)}"/><stop offset="1" stop-color="${top.hex}"/></linearGradient></defs>` +
    `<rect width="${w}" height="${h}" fill="url(#s)"/>${peaks}${water}`;
  return {
    svg: svg(w, h, body),
    alt: `${count} ${rock.name} mountain peaks with snowy tops under a ${top.name} sky${lake ? ", above a still lake" : ""}.`,
  };
}

function bokeh(random: Random, w: number, h: number): { svg: string; alt: string } {
  const colors = distinctColors(random, 2 + random.int(2));
  const bg = random.pick([
    { name: "black", hex: "#0b0b12" },
    { name: "dark blue", hex: "#0d1b2a" },
    { name: "dark purple", hex: "#1a0f2e" },
  ]);
  let circles = "";
  const count = 40 + random.int(40);
  for (let i = 0; i < count; i++) {
    const c = random.pick(colors);
    circles += `<circle cx="${f(random.next() * w)}" cy="${f(random.next() * h)}" r="${f(8 + random.next() * Math.min(w, h) * 0.08)}" fill="${c.hex}" fill-opacity="${(0.25 + random.next() * 0.5).toFixed(2)}"/>`;
  }
  const body = `<defs><filter id="b"><feGaussianBlur stdDeviation="${4 + random.int(6)}"/></filter></defs><rect width="${w}" height="${h}" fill="${bg.hex}"/><g filter="url(#b)">${circles}</g>`;
  return {
    svg: svg(w, h, body),
    alt: `Out-of-focus ${list(colors.map((c) => c.name))} lights glowing against a ${bg.name} background, like a city at night seen through a blurry lens.`,
  };
}

function shapes(random: Random, w: number, h: number): { svg: string; alt: string } {
  const colors = distinctColors(random, 3);
  const bg = random.pick(BACKGROUNDS);
  const count = 5 + random.int(5);
  const kinds = new Set<string>();
  let body = `<rect width="${w}" height="${h}" fill="${bg.hex}"/>`;
  const size = Math.min(w, h);
  for (let i = 0; i < count; i++) {
    const c = random.pick(colors).hex;
    const x = random.next() * w;
    const y = random.next() * h;
    const s = size * (0.1 + random.next() * 0.3);
    const kind = random.pick(["circle", "square", "triangle", "half circle"]);
    kinds.add(kind === "half circle" ? "half circles" : `${kind}s`);
    if (kind === "circle") body += `<circle cx="${f(x)}" cy="${f(y)}" r="${f(s / 2)}" fill="${c}"/>`;
    else if (kind === "square")
      body += `<rect x="${f(x - s / 2)}" y="${f(y - s / 2)}" width="${f(s)}" height="${f(s)}" fill="${c}" transform="rotate(${random.int(90)} ${f(x)} ${f(y)})"/>`;
    else if (kind === "triangle")
      body += `<polygon points="${f(x)},${f(y - s / 2)} ${f(x + s / 2)},${f(y + s / 2)} ${f(x - s / 2)},${f(y + s / 2)}" fill="${c}"/>`;
    else body += `<path d="M${f(x - s / 2)},${f(y)} A${f(s / 2)},${f(s / 2)} 0 0 1 ${f(x + s / 2)},${f(y)} Z" fill="${c}"/>`;
  }
  return {
    svg: svg(w, h, body),
    alt: `An abstract composition of ${list([...kinds])} in ${list(colors.map((c) => c.name))} on a ${bg.name} background.`,
  };
}

function waves(random: Random, w: number, h: number): { svg: string; alt: string } {
  const [a, b] = distinctColors(random, 2) as [NamedColor, NamedColor];
  const bands = 8 + random.int(7);
  let body = `<rect width="${w}" height="${h}" fill="${a.hex}"/>`;
  const phase = random.next() * Math.PI * 2;
  const freq = 1 + random.next() * 2;
  for (let i = 1; i <= bands; i++) {
    const base = (h * i) / bands;
    const amp = h * (0.02 + random.next() * 0.04);
    const points: string[] = [];
    for (let x = 0; x <= 48; x++) {
      const px = (x / 48) * w;
      points.push(`${f(px)},${f(base - amp * Math.sin((x / 48) * Math.PI * 2 * freq + phase + i * 0.6))}`);
    }
    body += `<path d="M0,${h} L${points.join(" L")} L${w},${h} Z" fill="${mix(a.hex, b.hex, i / bands)}"/>`;
  }
  return { svg: svg(w, h, body), alt: `Flowing horizontal waves that shade from ${a.name} at the top to ${b.name} at the bottom.` };
}

function night(random: Random, w: number, h: number): { svg: string; alt: string } {
  let stars = "";
  const count = 150 + random.int(200);
  for (let i = 0; i < count; i++) {
    stars += `<circle cx="${f(random.next() * w)}" cy="${f(random.next() * h * 0.85)}" r="${f(0.6 + random.next() * 1.8)}" fill="#ffffff" fill-opacity="${(0.3 + random.next() * 0.7).toFixed(2)}"/>`;
  }
  const moonX = w * (0.15 + random.next() * 0.7);
  const moonY = h * (0.15 + random.next() * 0.2);
  const r = Math.min(w, h) * 0.06;
  const crescent = random.chance(0.6);
  const moon = crescent
    ? `<mask id="m"><rect width="${w}" height="${h}" fill="#fff"/><circle cx="${f(moonX + r * 0.45)}" cy="${f(moonY - r * 0.2)}" r="${f(r)}" fill="#000"/></mask>` +
      `<circle cx="${f(moonX)}" cy="${f(moonY)}" r="${f(r)}" fill="#fdf6d8" mask="url(#m)"/>`
    : `<circle cx="${f(moonX)}" cy="${f(moonY)}" r="${f(r)}" fill="#fdf6d8"/>`;
  let trees = "";
  const treeCount = 12 + random.int(20);
  for (let i = 0; i < treeCount; i++) {
    const x = random.next() * w;
    const th = h * (0.08 + random.next() * 0.15);
    const tw = th * 0.35;
    trees += `<polygon points="${f(x - tw)},${h} ${f(x)},${f(h - th)} ${f(x + tw)},${h}" fill="#05070d"/>`;
  }
  const body =
    `<defs><linearGradient id="n" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#070b1f"/><stop offset="1" stop-color="#2c2354"/></linearGradient></defs>` +
    `<rect width="${w}" height="${h}" fill="url(#n)"/>${stars}${moon}${trees}`;
  return {
    svg: svg(w, h, body),
    alt: `A starry night sky with a ${crescent ? "thin crescent" : "full"} moon above the dark silhouettes of pine trees.`,
  };
}

/**
 * Smooth value noise, summed over octaves: a marble-like texture from raw RGB pixels, computed at
 * a quarter of the size (the texture is soft anyway) and scaled up by sharp.
 */
function marble(random: Random, w: number, h: number): { raw: Buffer; alt: string } {
  const [a, b] = distinctColors(random, 2) as [NamedColor, NamedColor];
  const grid = 16;
  const lattice = new Float32Array((grid + 1) * (grid + 1));
  for (let i = 0; i < lattice.length; i++) lattice[i] = random.next();
  const smooth = (t: number) => t * t * (3 - 2 * t);
  const noise = (x: number, y: number) => {
    const xi = Math.floor(x) % grid;
    const yi = Math.floor(y) % grid;
    const xf = smooth(x - Math.floor(x));
    const yf = smooth(y - Math.floor(y));
    const at = (i: number, j: number) => lattice[(j % grid) * (grid + 1) + (i % grid)]!;
    const top = at(xi, yi) + (at(xi + 1, yi) - at(xi, yi)) * xf;
    const bottom = at(xi, yi + 1) + (at(xi + 1, yi + 1) - at(xi, yi + 1)) * xf;
    return top + (bottom - top) * yf;
  };
  const ca = [1, 3, 5].map((i) => parseInt(a.hex.slice(i, i + 2), 16));
  const cb = [1, 3, 5].map((i) => parseInt(b.hex.slice(i, i + 2), 16));
  const raw = Buffer.alloc(w * h * 3);
  const scale = 6 / Math.max(w, h);
  const turbulence = 4 + random.next() * 4;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let n = 0;
      let amp = 0.5;
      let freq = 1;
      for (let o = 0; o < 4; o++) {
        n += amp * noise(x * scale * freq, y * scale * freq);
        amp /= 2;
        freq *= 2;
      }
      const t = 0.5 + 0.5 * Math.sin((x + y) * scale * 2 + n * turbulence);
      const p = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) raw[p + c] = Math.round(ca[c]! + (cb[c]! - ca[c]!) * t);
    }
  }
  return { raw, alt: `A close-up of a swirling, marble-like texture in ${a.name} and ${b.name}.` };
}

function rings(random: Random, w: number, h: number): { svg: string; alt: string } {
  const colors = distinctColors(random, 4);
  let body = `<rect width="${w}" height="${h}" fill="${colors[0]!.hex}"/>`;
  for (let i = 1; i < colors.length; i++) body += `<circle cx="${w / 2}" cy="${h / 2}" r="${f((w / 2) * (1 - i * 0.22))}" fill="${colors[i]!.hex}"/>`;
  return { svg: svg(w, h, body), alt: `Concentric circles in ${list(colors.map((c) => c.name))}.` };
}

function planet(random: Random, w: number, h: number): { svg: string; alt: string } {
  const [body1, ring] = distinctColors(random, 2) as [NamedColor, NamedColor];
  const bg = random.pick(BACKGROUNDS.filter((b) => b.name.includes("dark") || b.name === "black"));
  const tilt = -30 + random.int(60);
  const body =
    `<rect width="${w}" height="${h}" fill="${bg.hex}"/>` +
    `<circle cx="${w / 2}" cy="${h / 2}" r="${f(w * 0.25)}" fill="${body1.hex}"/>` +
    `<ellipse cx="${w / 2}" cy="${h / 2}" rx="${f(w * 0.42)}" ry="${f(h * 0.1)}" fill="none" stroke="${ring.hex}" stroke-width="${f(w * 0.03)}" transform="rotate(${tilt} ${w / 2} ${h / 2})"/>`;
  return { svg: svg(w, h, body), alt: `A cartoon ${body1.name} planet with a ${ring.name} ring on a ${bg.name} background.` };
}

const PICTURE_SIZES: readonly [number, number][] = [
  [1200, 800],
  [1080, 1080],
  [900, 1200],
  [1600, 900],
];

const MARBLE_SCALE = 4;

type EncodeInput = { svg: string } | { raw: Buffer; width: number; height: number; resizeTo: [number, number] };

async function encode(input: EncodeInput): Promise<{ full: Buffer; preview: Buffer; width: number; height: number }> {
  const source =
    "svg" in input
      ? sharp(Buffer.from(input.svg))
      : sharp(input.raw, { raw: { width: input.width, height: input.height, channels: 3 } }).resize({
          width: input.resizeTo[0],
          height: input.resizeTo[1],
          fit: "fill",
        });
  const full = await source.webp({ quality: 82, effort: 2 }).toBuffer({ resolveWithObject: true });
  const preview = await sharp(full.data)
    .resize({ width: PREVIEW_MAX_SIDE, height: PREVIEW_MAX_SIDE, fit: "inside", withoutEnlargement: true })
    .webp({ quality: 75, effort: 2 })
    .toBuffer();
  return { full: full.data, preview, width: full.info.width, height: full.info.height };
}

/** A picture for a post (or, at a wide size, a profile header). */
export async function renderPicture(kind: PictureKind, random: Random, size?: [number, number]): Promise<RenderedImage> {
  const [w, h] = size ?? random.pick(PICTURE_SIZES);
  if (kind === "marble") {
    const [sw, sh] = [Math.ceil(w / MARBLE_SCALE), Math.ceil(h / MARBLE_SCALE)];
    const { raw, alt } = marble(random, sw, sh);
    return { ...(await encode({ raw, width: sw, height: sh, resizeTo: [w, h] })), altText: alt };
  }
  const draw = { sunset, mountains, bokeh, shapes, waves, night }[kind];
  const { svg: picture, alt } = draw(random, w, h);
  return { ...(await encode({ svg: picture })), altText: alt };
}

/** A square profile picture. */
export async function renderAvatar(kind: AvatarKind, random: Random): Promise<RenderedImage> {
  const size = 400;
  const draw = { rings, planet, shapes }[kind];
  const { svg: picture, alt } = draw(random, size, size);
  return { ...(await encode({ svg: picture })), altText: `Profile picture: ${alt.charAt(0).toLowerCase()}${alt.slice(1)}` };
}

/** Captions for posts that carry a picture, by what the picture shows. */
export const PICTURE_CAPTIONS: Record<PictureKind, { en: readonly string[]; de: readonly string[] }> = {
  sunset: {
    en: ["Sunset from the balcony tonight 🌅 #photography", "Evening walk, worth every step. #sunset", "The sky did this on the way home. #nofilter"],
    de: ["Sonnenuntergang vom Balkon aus 🌅 #Fotografie", "Abendspaziergang, hat sich gelohnt. #Sonnenuntergang"],
  },
  mountains: {
    en: ["Made it to the top before the clouds did. #hiking", "The view from the hut this morning. #mountains"],
    de: ["Vor den Wolken oben angekommen. #Wandern", "Aussicht von der Hütte heute früh. #Berge"],
  },
  bokeh: {
    en: ["City lights, slightly out of focus, like me. #photography", "Playing with an old lens at night. #bokeh"],
    de: ["Lichter der Stadt, leicht unscharf. #Fotografie", "Alte Linse, neue Nacht. #bokeh"],
  },
  shapes: {
    en: ["Made some generative art this weekend. #generativeart", "New print for the hallway. #design"],
    de: ["Am Wochenende ein bisschen generative Kunst gemacht. #generativeKunst", "Neues Poster für den Flur. #Design"],
  },
  waves: {
    en: ["Colour study: waves. #generativeart", "Screen saver energy. #design"],
    de: ["Farbstudie: Wellen. #generativeKunst", "Bildschirmschoner-Vibes. #Design"],
  },
  night: {
    en: ["No light pollution out here. #astronomy", "Couldn't sleep, went outside, no regrets. #nightsky"],
    de: ["Hier draußen gibt es keine Lichtverschmutzung. #Astronomie", "Nicht schlafen können lohnt sich manchmal. #Sternenhimmel"],
  },
  marble: {
    en: ["Texture experiment, swipe for the full size. #generativeart", "Procedural marble, no rocks were harmed. #creativecoding"],
    de: ["Texturexperiment. #generativeKunst", "Prozeduraler Marmor, kein Stein wurde verletzt. #creativecoding"],
  },
};
