/**
 * Reading a peer's answer. The field checks of `fields.ts` throw the errors
 * of a malformed request (`BAD_REQUEST`, `TOO_LARGE`); when what is
 * malformed is the answer of the part that was called, the fault is that
 * part's, not the caller's, so the caller must see `INTERNAL`.
 *
 * @module
 */
import { InternalError, StrongroomError } from "./errors.ts";

/**
 * Reads a peer's answer, turning any failure to read it into `INTERNAL`.
 *
 * @param role The role that answered.
 * @param op The op it answered.
 * @param read Checks and reads the answer; throws when it is malformed.
 * @returns What `read` returned.
 * @throws {InternalError} When `read` throws; its error is the `cause`, and its message, which names
 *   fields but never echoes their values, the detail.
 * @example Reading storage's answer to `get`
 * ```ts
 * import { readAnswer } from "./answer.ts";
 * import { expectBytes, expectFields } from "./fields.ts";
 * const answer: unknown = { value: new Uint8Array([1, 2]) };
 * const value = readAnswer("storage", "get", () => expectBytes(expectFields(answer), "value"));
 * ```
 */
export function readAnswer<T>(role: string, op: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    const detail = error instanceof StrongroomError ? `: ${error.message}` : "";
    throw new InternalError(`Cannot read the answer of "${role}" to "${op}"${detail}`, { cause: error });
  }
}
