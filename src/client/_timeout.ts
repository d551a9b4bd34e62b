/**
 * The client's time budget options (`timeout`, `connectTimeout`), checked as
 * they come in, the default of `connect` and the per-call one alike.
 *
 * @module
 */
import { MAX_TTL_MS } from "../protocol/wire/mod.ts";

/**
 * Checks a time budget option and gives the budget it stands for. A budget
 * longer than a request can carry ({@link MAX_TTL_MS}, 2³¹−1 ms or about
 * 24.8 days), `Infinity` included, stands for that longest budget.
 *
 * @param value The option's value.
 * @param name The option's name, for the error.
 * @returns The budget in ms, at most `MAX_TTL_MS`.
 * @throws {TypeError} When `value` is not a number.
 * @throws {RangeError} When `value` is `NaN`, zero or negative.
 */
export function timeoutOption(value: unknown, name: string): number {
  if (typeof value !== "number") throw new TypeError(`Invalid option "${name}": expected a number of ms`);
  if (!(value > 0)) throw new RangeError(`Invalid option "${name}": expected a positive number of ms`);
  return Math.min(value, MAX_TTL_MS);
}
