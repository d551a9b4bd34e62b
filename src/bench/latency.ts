/**
 * Keeps every latency of a benchmark run and summarises them.
 *
 * @module
 */

/** Percentiles of a run, in ms. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Collects latencies in ms. */
export class LatencyRecorder {
  #values = new Float64Array(1024);
  #count = 0;

  /**
   * Adds one latency.
   *
   * @param ms The latency in ms.
   */
  add(ms: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = ms;
  }

  /**
   * Summarises what was added.
   *
   * @returns Count, median, 99th percentile and maximum (nearest-rank).
   */
  summary(): LatencySummary {
    const sorted = this.#values.slice(0, this.#count).sort();
    const rank = (p: number) => (this.#count === 0 ? 0 : sorted[Math.min(this.#count - 1, Math.ceil(p * this.#count) - 1)]!);
    return { count: this.#count, p50: rank(0.5), p99: rank(0.99), max: this.#count === 0 ? 0 : sorted[this.#count - 1]! };
  }
}
