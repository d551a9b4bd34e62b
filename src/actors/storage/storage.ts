/**
 * The storage actor's ops on opaque `locator → value` pairs: `put`, `get`,
 * `delete` and `stats`. Only actors may call it; the broker keeps clients out.
 *
 * @module
 */
import {
  DEFAULT_MAX_FRAME,
  expectBytes,
  expectFields,
  NotFoundError,
  StorageFailedError,
  StrongroomError,
} from "../../protocol/mod.ts";
import type { Handler } from "../runtime/mod.ts";
import type { Engine } from "./engine/mod.ts";

/** The role name of the storage actor. */
export const STORAGE_ROLE = "storage";
/** Length of a locator, in bytes. */
export const LOCATOR_LENGTH = 32;

/** Limits of {@link storageHandlers}. */
export interface StorageLimits {
  /** Largest value, in bytes. @default 16 MiB */
  maxValue?: number;
}

/**
 * Builds the handlers of the storage ops over an engine.
 *
 * @param engine The open engine.
 * @param limits Largest value accepted.
 * @returns Handlers by op name, for the actor runtime.
 */
export function storageHandlers(engine: Engine, limits: StorageLimits = {}): Record<string, Handler> {
  const { maxValue = DEFAULT_MAX_FRAME } = limits;
  const locatorOf = (body: unknown) => expectBytes(expectFields(body), "locator", { length: LOCATOR_LENGTH });

  return {
    async put({ body }) {
      const locator = locatorOf(body);
      const value = expectBytes(expectFields(body), "value", { max: maxValue });
      await failsAsStorage(engine.put(locator, value), "write");
      return {};
    },
    async get({ body }) {
      const value = await failsAsStorage(engine.get(locatorOf(body)), "read");
      if (!value) throw new NotFoundError("No value under this locator");
      return { value };
    },
    async delete({ body }) {
      const deleted = await failsAsStorage(engine.delete(locatorOf(body)), "write");
      if (!deleted) throw new NotFoundError("No value under this locator");
      return {};
    },
    stats() {
      return engine.stats();
    },
  };
}

// The engine's own failures already say what failed (a checksum, a full
// disk, a stopped engine); anything else becomes a STORAGE_FAILED too.
async function failsAsStorage<T>(work: Promise<T>, what: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof StrongroomError) throw error;
    throw new StorageFailedError(`Cannot ${what} the data directory`, { cause: error });
  }
}
