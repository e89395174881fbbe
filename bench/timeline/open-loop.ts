// An open-loop load generator: requests arrive at a fixed rate (evenly spaced), whatever the
// server's answers, as independent readers would. A slow answer does not slow the arrivals, so
// queueing shows in the latencies instead of hiding in a lower request rate (a closed loop's
// coordinated omission). Each latency is measured from the moment the request was due, so a
// load generator that falls behind counts against the server's figure, never for it.

export interface OpenLoopResult {
  /** Latencies (ms) of the requests due inside the measured window that succeeded. */
  latencies: Float64Array;
  /** Requests due inside the window that failed or got no answer within the timeout. */
  errors: number;
  firstError: string | null;
  /** Requests due inside the window. */
  offered: number;
  seconds: number;
  /** How late, at worst, the generator sent a request after it was due (its own lag), in ms. */
  maxSendLagMs: number;
}

const TICK_MS = 1;

export async function openLoop(options: {
  /** Arrivals per second. */
  rate: number;
  warmupMs: number;
  durationMs: number;
  /** Sends request number `index`; resolves when its answer has been read. */
  request: (index: number) => Promise<void>;
  /** Called when the measured window opens and when it closes (for CPU accounting). */
  onWindow?: (edge: "start" | "end") => void;
}): Promise<OpenLoopResult> {
  const { rate } = options;
  const total = Math.floor(((options.warmupMs + options.durationMs) * rate) / 1000);
  const warmupCount = Math.floor((options.warmupMs * rate) / 1000);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let maxSendLagMs = 0;
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  const dueAt = (index: number) => start + (index * 1000) / rate;

  const fire = (index: number) => {
    const due = dueAt(index);
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - due);
    const measured = index >= warmupCount;
    const done = options.request(index).then(
      () => {
        if (measured) latencies.push(performance.now() - due);
      },
      (error: unknown) => {
        if (measured) errors++;
        firstError ??= (error as Error).message;
      },
    );
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };

  let next = 0;
  let windowOpen = false;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      if (!windowOpen && now >= dueAt(warmupCount)) {
        windowOpen = true;
        options.onWindow?.("start");
      }
      while (next < total && dueAt(next) <= now) fire(next++);
      if (next < total) setTimeout(tick, TICK_MS);
      else resolve();
    };
    tick();
  });
  // The window closes when the last request is due; requests still running finish (or time out)
  // and count, but the CPU window closes now so that it covers exactly the offered load.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueAt(total) - performance.now())));
  if (!windowOpen) options.onWindow?.("start");
  options.onWindow?.("end");
  await Promise.all([...pending]);
  return {
    latencies: Float64Array.from(latencies),
    errors,
    firstError,
    offered: total - warmupCount,
    seconds: options.durationMs / 1000,
    maxSendLagMs,
  };
}
