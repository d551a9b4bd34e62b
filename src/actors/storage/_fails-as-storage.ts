/**
 * How the storage ops report a failure of the engine.
 *
 * @module
 */
import { StorageFailedError, StrongroomError } from "../../protocol/wire/mod.ts";

/**
 * Waits for engine work and turns an unexpected failure into `STORAGE_FAILED`.
 * The engine's own failures already say what failed (a checksum, a full
 * disk, a stopped engine) and pass as they are.
 *
 * @param work The engine's promise.
 * @param what What the work does to the data directory: `read` or `write`.
 * @returns What the work resolves to.
 * @throws {StrongroomError} The engine's failure, or `STORAGE_FAILED` caused by any other.
 */
export async function failsAsStorage<T>(work: Promise<T>, what: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof StrongroomError) throw error;
    throw new StorageFailedError(`Cannot ${what} the data directory`, { cause: error });
  }
}
