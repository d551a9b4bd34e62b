/**
 * The errors of a request given up on: its time ran out, or it was
 * cancelled, as the connection and the session both report them.
 *
 * @module
 */
import { CancelledError, StrongroomError, TimeoutError } from "../wire/mod.ts";

/**
 * The error of a request whose time ran out. Made when the time is up
 * rather than at the call: building an error's stack at every call cost a
 * tenth of an actor's time under load, and the message names the request.
 *
 * @param op The request's op.
 * @param to The role it went to.
 * @returns A `TIMEOUT` error.
 */
export function timedOut(op: string, to: string): TimeoutError {
  return new TimeoutError(`Request "${op}" to "${to}" ran out of time`);
}

/**
 * The error of a request whose signal aborted: `TIMEOUT` when the signal's
 * reason says a time budget ran out (an actor passing its own signal on to
 * a nested call, or an `AbortSignal.timeout()` that fired), `CANCELLED` for
 * any other reason.
 *
 * @param op The request's op.
 * @param to The role it went to.
 * @param reason The signal's `reason`.
 * @returns The error.
 */
export function aborted(op: string, to: string, reason: unknown): TimeoutError | CancelledError {
  if (reason instanceof StrongroomError && reason.code === "TIMEOUT") return timedOut(op, to);
  if (typeof DOMException === "function" && reason instanceof DOMException && reason.name === "TimeoutError") return timedOut(op, to);
  return new CancelledError(`Request "${op}" to "${to}" was cancelled`, { cause: reason });
}
