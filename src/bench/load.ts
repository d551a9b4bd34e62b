/**
 * Drives one operation at a fixed number of requests in flight for a fixed
 * time, after a warm-up, and records what happened. The measured time is
 * stretched to the first completion when nothing completes within it (a slow
 * machine, a large payload), so that every step reports a rate.
 *
 * @module
 */
import { type LatencySummary, LatencyRecorder } from "./latency.ts";

/** The time a load runs by: the real one, or one a test moves on by hand. */
export interface LoadClock {
  /** The time, in ms, from any origin. */
  now(): number;
  /** Calls `callback` once, `ms` from now; returns what {@link LoadClock.clear} takes. */
  after(ms: number, callback: () => void): unknown;
  /** Cancels a callback of {@link LoadClock.after} that has not run. */
  clear(timer: unknown): void;
}

/** The real time: `performance.now()` and timers. */
export const REAL_CLOCK: LoadClock = {
  now: () => performance.now(),
  after: (ms, callback) => setTimeout(callback, ms),
  clear: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /** Requests kept in flight. */
  inFlight: number;
  /** Measured time, in ms. */
  durationMs: number;
  /** Time run before measuring, in ms. @default 0 */
  warmupMs?: number;
  /** One request; its `i` counts requests of this worker. */
  operation: (worker: number, i: number) => Promise<void>;
  /** Called when the warm-up ends and measuring starts. @default nothing */
  onMeasureStart?: () => void;
  /** Called when the measured time ends, before the last requests finish. @default nothing */
  onMeasureEnd?: () => void;
  /** The time it runs by. @default REAL_CLOCK */
  clock?: LoadClock;
}

/** What a load step measured. */
export interface LoadResult {
  /** Successful requests completed in the measured time. */
  ops: number;
  /** Failed requests in the measured time. */
  errors: number;
  /** Codes (or error names) of the failures, with counts. */
  errorKinds: Record<string, number>;
  /** Measured time, in ms: the duration asked for, or longer when nothing completed within it. */
  elapsedMs: number;
  latency: LatencySummary;
}

/**
 * Runs the load.
 *
 * @param options In flight, duration, warm-up and the operation.
 * @returns Counts and latencies of the measured time.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { inFlight, durationMs, warmupMs = 0, operation, onMeasureStart, onMeasureEnd, clock = REAL_CLOCK } = options;
  const start = clock.now();
  const measureFrom = start + warmupMs;
  let end = measureFrom + durationMs;
  let counted = 0;
  const latencies = new LatencyRecorder();
  let ops = 0;
  let errors = 0;
  const errorKinds: Record<string, number> = {};

  async function worker(index: number): Promise<void> {
    for (let i = 0; clock.now() < end || counted === 0; i++) {
      const began = clock.now();
      let failure: unknown;
      try {
        await operation(index, i);
      } catch (error) {
        failure = error;
      }
      const finished = clock.now();
      // A request counts in the step in which it completes; the first one to complete
      // after the measured time still counts when none did within it, and ends it.
      if (finished < measureFrom) continue;
      if (finished > end) {
        if (counted > 0) continue;
        end = finished;
        measureEnd();
      }
      counted++;
      if (failure === undefined) {
        ops++;
        latencies.add(finished - began);
      } else {
        errors++;
        const kind = (failure as { code?: string }).code ?? (failure as Error).name ?? "Error";
        errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
      }
    }
  }

  // Each callback runs exactly once: on its timer, or when the workers are done if that comes first.
  const once = (callback: (() => void) | undefined) => {
    let called = false;
    return () => {
      if (!called) (called = true), callback?.();
    };
  };
  const measureStart = once(onMeasureStart);
  const measureEnd = once(onMeasureEnd);
  const startTimer = clock.after(warmupMs, measureStart);
  const endTimer = clock.after(warmupMs + durationMs, () => counted > 0 && measureEnd());
  await Promise.all(Array.from({ length: inFlight }, (_, i) => worker(i)));
  clock.clear(startTimer);
  clock.clear(endTimer);
  measureStart();
  measureEnd();
  return { ops, errors, errorKinds, elapsedMs: end - measureFrom, latency: latencies.summary() };
}
