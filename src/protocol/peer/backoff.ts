/**
 * Exponential backoff with jitter, for reconnecting and retrying: each
 * attempt waits up to twice as long as the one before, up to a cap, and a
 * random share of that so that many peers that lost the same broker do not
 * come back in step.
 *
 * @module
 */

/** Options of {@link backoffDelay}. */
export interface BackoffOptions {
  /** Delay bound of the first attempt, in ms. @default 100 */
  initial?: number;
  /** Largest delay, in ms. @default 5000 */
  max?: number;
}

/**
 * The delay before an attempt: "equal jitter", half of the attempt's bound
 * plus a random share of the other half, so that it is never near zero.
 *
 * @param attempt 0 for the first retry, then 1, 2, …
 * @param options Initial and largest delay.
 * @param random A source of numbers in [0, 1). @default Math.random
 * @returns The delay in ms, between `bound / 2` and `bound` where `bound = min(max, initial · 2^attempt)`.
 * @throws {RangeError} When `initial` or `max` is not a positive number.
 * @example Delays of the first attempts
 * ```ts
 * import { backoffDelay } from "./backoff.ts";
 * backoffDelay(0); // between 50 and 100
 * backoffDelay(3); // between 400 and 800
 * ```
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const { initial = 100, max = 5000 } = options;
  if (!(initial > 0) || !(max > 0)) throw new RangeError('Invalid backoff: "initial" and "max" must be positive numbers of ms');
  const bound = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return bound / 2 + random() * (bound / 2);
}
