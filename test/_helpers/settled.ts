/**
 * Waits for a call that must end long before its own deadline, without
 * waiting for that deadline when it does not: the test fails once the call
 * is still pending after a bound far above what it should take, so that a
 * loaded machine cannot make it flake, and far below the call's deadline.
 *
 * @module
 */

/**
 * Waits for a promise to settle within a bound.
 *
 * @param promise The call.
 * @param boundMs How long it may stay pending before the test fails.
 * @returns How it settled.
 * @throws {Error} When it is still pending after `boundMs`.
 */
export async function settled<T>(promise: Promise<T>, boundMs: number): Promise<PromiseSettledResult<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Still pending after ${boundMs} ms`)), boundMs);
  });
  try {
    return await Promise.race([Promise.allSettled([promise]).then(([result]) => result!), late]);
  } finally {
    clearTimeout(timer);
  }
}
