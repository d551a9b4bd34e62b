/**
 * Retrying a call that failed in a way that may pass, within one deadline:
 * backoff with jitter between attempts, never past the deadline, stopped by
 * the caller's signal.
 *
 * @module
 */
import { type BackoffOptions, backoffDelay } from "./backoff.ts";
import type { Code } from "../wire/mod.ts";
import { CancelledError, StrongroomError } from "../wire/mod.ts";

/** Options of {@link retry}. */
export interface RetryOptions {
  /** The deadline of the whole call, on the `performance.now()` clock. */
  deadline: number;
  /** The codes worth another attempt; an error of one of them marked not retryable still ends the call. */
  codes: readonly Code[];
  /** Aborting it stops retrying with `CANCELLED`. @default undefined */
  signal?: AbortSignal;
  /** Delays between attempts. @default { initial: 25, max: 1000 } */
  backoff?: BackoffOptions;
  /** The clock and the waits between attempts. @default the `performance.now()` clock and timers */
  clock?: RetryClock;
}

/** What {@link retry} reads the time with and waits with: the platform's, or a test's. */
export interface RetryClock {
  /** Now, on the clock `deadline` is on. */
  now(): number;
  /** Resolves after `ms`; rejects with `CANCELLED` when `signal` aborts first. */
  sleep(ms: number, signal: AbortSignal | undefined): Promise<void>;
}

/** The platform's clock: `performance.now()` and timers. */
export const SYSTEM_CLOCK: RetryClock = { now: () => performance.now(), sleep };

/**
 * Runs `attempt` until it succeeds, fails with a code not in `codes` or with
 * an error marked not retryable (such as a session closed for good), or the
 * next attempt, waiting its backoff and taking as long as the last one did,
 * would end past the deadline; then the last error is thrown. An attempt
 * that could only time out is not started, so the caller learns why the
 * call failed (say `OVERLOADED`) rather than a `TIMEOUT` of a doomed retry.
 *
 * @param attempt One try; it should respect the deadline itself.
 * @param options Deadline, codes, signal, backoff.
 * @returns What the first successful attempt returned.
 * @throws {StrongroomError} The last attempt's error, or `CANCELLED` when the signal aborts between attempts.
 * @example Retrying a read
 * ```ts
 * import { retry } from "./retry.ts";
 * const deadline = performance.now() + 5000;
 * await retry(() => Promise.resolve("read"), { deadline, codes: ["UNAVAILABLE", "OVERLOADED"] });
 * ```
 */
export async function retry<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { deadline, codes, signal, backoff = { initial: 25, max: 1000 }, clock = SYSTEM_CLOCK } = options;
  for (let n = 0; ; n++) {
    const started = clock.now();
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StrongroomError) || !codes.includes(error.code) || !error.retryable) throw error;
      const now = clock.now();
      const delay = backoffDelay(n, backoff);
      if (now + delay + (now - started) >= deadline || signal?.aborted) throw error;
      await clock.sleep(delay, signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError("Call was cancelled between attempts", { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
