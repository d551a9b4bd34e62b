/**
 * Waits until a condition holds, for state that settles through another
 * process or socket. Fails with the last error after `timeoutMs`.
 *
 * @param check Throws or returns false while the condition does not hold.
 * @param timeoutMs How long to keep trying. @default 5000
 */
export async function eventually(check: () => unknown, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      if ((await check()) !== false) return;
      failure = new Error("Condition still false");
    } catch (error) {
      failure = error;
    }
    if (Date.now() > end) throw failure;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
