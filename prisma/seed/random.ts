// A small seeded PRNG (sfc32, seeded through cyrb128) so that a demo world is the same for the
// same seed on every machine. Each part of the generator draws from its own named stream, so a
// change in one part (say, how many images) does not reshuffle the others.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** `length` lower-case hex digits. */
  hex(length: number): string;
}

function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export function createRandom(seed: number, stream: string): Random {
  let [a, b, c, d] = cyrb128(`${seed}:${stream}`);
  const uint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // The first outputs of sfc32 still echo the seed; skip them.
  for (let i = 0; i < 15; i++) uint32();
  const next = () => uint32() / 4294967296;
  const random: Random = {
    next,
    uint32,
    int: (maxExclusive) => Math.floor(next() * maxExclusive),
    between: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[Math.floor(next() * items.length)]!;
    },
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    exponential: (mean) => -Math.log(1 - next()) * mean,
    hex(length) {
      let out = "";
      while (out.length < length) out += uint32().toString(16).padStart(8, "0");
      return out.slice(0, length);
    },
  };
  return random;
}

/** Draws indexes in proportion to `weights` (cumulative table, binary search). */
export function weightedSampler(weights: ArrayLike<number>): (random: Random) => number {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    total += Math.max(0, weights[i]!);
    cumulative[i] = total;
  }
  if (total <= 0) throw new Error("weightedSampler needs a positive weight");
  return (random) => {
    const target = random.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/**
 * A UUIDv7 (RFC 9562) for the millisecond `ms`, with its random bits drawn from `random`: the same
 * layout as server/data/uuid-v7.ts, so seeded ids sort by creation time like the app's own.
 */
export function seededUuidV7(ms: number, random: Random): string {
  const time = Math.floor(ms).toString(16).padStart(12, "0");
  const bits = random.hex(18);
  const variant = (8 + (random.uint32() & 3)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${bits.slice(0, 3)}-${variant}${bits.slice(3, 6)}-${bits.slice(6, 18)}`;
}
