/**
 * A gate that handlers wait on until the test opens it, to hold requests
 * in flight for as long as a test needs.
 *
 * @module
 */

/** A gate: `wait()` resolves once `open()` was called. */
export interface Gate {
  wait(): Promise<void>;
  open(): void;
}

/**
 * Makes a closed gate.
 *
 * @returns The gate.
 */
export function gate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => opened, open };
}
