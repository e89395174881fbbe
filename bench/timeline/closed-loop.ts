// A closed-loop load generator: N workers, each doing one reader's visit (first page, then the next
// page through the cursor) again and again, for a warm-up and then a measured window; optionally
// with a think time between visits. Bounded in time and in iterations. Latencies are recorded for
// requests that start inside the window.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export interface LoopResult {
  latencies: Float64Array;
  /** Secondary timings a step chose to record (e.g. time on a database connection). */
  extra: Float64Array;
  errors: number;
  firstError: string | null;
  seconds: number;
}

export interface Recorder {
  /** Times `run` and records it when the measured window is open. */
  time<T>(run: () => Promise<T>): Promise<T>;
  /** Records a secondary timing. */
  extra(ms: number): void;
}

export async function closedLoop(options: {
  workers: number;
  warmupMs: number;
  durationMs: number;
  /** One visit of worker `index`; requests inside go through `recorder.time`. */
  visit: (index: number, recorder: Recorder) => Promise<void>;
  maxVisitsPerWorker?: number;
  /** A pause after each visit, drawn uniformly from 0.5x to 1.5x this (0: none, a pure closed loop). */
  thinkMs?: number;
  /** Called when the measured window opens and when it closes (for CPU accounting). */
  onWindow?: (edge: "start" | "end") => void;
}): Promise<LoopResult> {
  const maxVisits = options.maxVisitsPerWorker ?? 1_000_000;
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const endAt = measureFrom + options.durationMs;
  const latencies: number[] = [];
  const extra: number[] = [];
  let errors = 0;
  let firstError: string | null = null;

  const recorder: Recorder = {
    async time(run) {
      const began = performance.now();
      try {
        const result = await run();
        if (began >= measureFrom && began < endAt) latencies.push(performance.now() - began);
        return result;
      } catch (error) {
        if (began >= measureFrom && began < endAt) errors++;
        firstError ??= (error as Error).message;
        throw error;
      }
    },
    extra(ms) {
      const now = performance.now();
      if (now >= measureFrom && now < endAt) extra.push(ms);
    },
  };

  const timers = [
    setTimeout(() => options.onWindow?.("start"), options.warmupMs),
    setTimeout(() => options.onWindow?.("end"), options.warmupMs + options.durationMs),
  ];
  const think = options.thinkMs ?? 0;
  await Promise.all(
    Array.from({ length: options.workers }, async (_, index) => {
      // Spread the first visits over one think time, so readers do not arrive in lockstep.
      if (think > 0) await sleep(Math.min(endAt - performance.now(), Math.random() * think));
      for (let visits = 0; visits < maxVisits && performance.now() < endAt; visits++) {
        try {
          await options.visit(index, recorder);
        } catch {
          // Counted by the recorder; a failed visit starts over with the first page.
        }
        if (think > 0) await sleep(Math.min(endAt - performance.now(), think * (0.5 + Math.random())));
      }
    }),
  );
  // The window may close before the last visits end; make sure both edges were seen.
  await sleep(Math.max(0, endAt - performance.now()) + 1);
  timers.forEach(clearTimeout);
  return { latencies: Float64Array.from(latencies), extra: Float64Array.from(extra), errors, firstError, seconds: options.durationMs / 1000 };
}

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
