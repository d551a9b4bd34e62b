/**
 * Steady load for end-to-end tests: a number of workers each repeating a
 * call back to back, counting successes and failures by code.
 *
 * @module
 */

/** What a load run saw. */
export interface LoadResult {
  ok: number;
  /** Failures by error code (or error name when it has no code). */
  errors: Record<string, number>;
}

/** A running load. */
export interface Load {
  /** What it saw so far. */
  readonly result: LoadResult;
  /** Stops the workers and waits for every call in flight to settle. */
  stop(): Promise<LoadResult>;
}

/**
 * Starts `concurrency` workers repeating `call`.
 *
 * @param call One unit of work; throws on failure.
 * @param concurrency Workers.
 * @returns The running load.
 */
export function startLoad(call: (worker: number, n: number) => Promise<void>, concurrency: number): Load {
  const result: LoadResult = { ok: 0, errors: {} };
  let stopped = false;
  const workers = Array.from({ length: concurrency }, async (_, worker) => {
    for (let n = 0; !stopped; n++) {
      try {
        await call(worker, n);
        result.ok++;
      } catch (error) {
        const code = (error as { code?: string }).code ?? (error as Error).name;
        result.errors[code] = (result.errors[code] ?? 0) + 1;
      }
    }
  });
  return {
    result,
    async stop() {
      stopped = true;
      await Promise.all(workers);
      return result;
    },
  };
}
