/**
 * The life of one request an actor serves, as the calls it makes see it:
 * a deadline, and an abort that says why (`TIMEOUT`, `CANCELLED`,
 * `UNAVAILABLE`). It does what an `AbortSignal` would for those calls, at a
 * fraction of the cost: an `AbortController` and its listeners per request
 * were a tenth of an actor's time under load. A handler that wants a real
 * `AbortSignal` (to pass to some other API) gets one, made on first use.
 *
 * @module
 */
import type { StrongroomError } from "../wire/mod.ts";

/** Removes a listener added with {@link CallScope.onAbort}. */
export type Unsubscribe = () => void;

/**
 * A request's deadline and abort.
 *
 * @example Aborting a scope
 * ```ts
 * import { CallScope } from "./scope.ts";
 * import { CancelledError } from "../wire/mod.ts";
 * const scope = new CallScope(performance.now() + 1000);
 * const stop = scope.onAbort(() => console.log("aborted:", scope.reason?.code));
 * scope.abort(new CancelledError("The caller cancelled the request"));
 * ```
 */
export class CallScope {
  /** The deadline, on the `performance.now()` clock. */
  readonly deadline: number;
  /**
   * Whether the request streams: its budget covered the time to its first
   * chunk, and from then on the broker times it out when nothing moves.
   */
  streaming = false;
  #reason: StrongroomError | undefined;
  #listeners: (() => void)[] | undefined;
  #controller: AbortController | undefined;

  /** @param deadline The deadline, on the `performance.now()` clock. */
  constructor(deadline: number) {
    this.deadline = deadline;
  }

  /** Whether the scope was aborted. */
  get aborted(): boolean {
    return this.#reason !== undefined;
  }

  /** Why it was aborted, once it was. */
  get reason(): StrongroomError | undefined {
    return this.#reason;
  }

  /** An `AbortSignal` that aborts with the scope, with the same reason; made on first use. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#reason) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /**
   * Calls `listener` once when the scope aborts (never when it already has).
   *
   * @param listener Called with no argument; read `reason`.
   * @returns A function that removes the listener.
   */
  onAbort(listener: () => void): Unsubscribe {
    if (this.#reason) return noop;
    (this.#listeners ??= []).push(listener);
    return () => {
      const listeners = this.#listeners;
      const index = listeners ? listeners.indexOf(listener) : -1;
      if (index >= 0) listeners!.splice(index, 1);
    };
  }

  /**
   * Aborts the scope; only the first call counts.
   *
   * @param reason Why.
   */
  abort(reason: StrongroomError): void {
    if (this.#reason) return;
    this.#reason = reason;
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
    this.#controller?.abort(reason);
  }
}

function noop(): void {}
