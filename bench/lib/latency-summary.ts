// Percentiles of a set of latencies (nearest rank), and the rate they were measured at.

export interface Summary {
  count: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(latencies: Float64Array, seconds: number): Summary {
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN);
  return {
    count: sorted.length,
    perSecond: sorted.length / seconds,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
  };
}
