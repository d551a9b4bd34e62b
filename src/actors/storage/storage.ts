/**
 * The storage actor's ops on opaque `locator → value` pairs: `put`, `get`,
 * `delete`, `stats`, and the batch ops `putMany` and `getMany`. Only actors
 * may call it; the broker keeps clients out.
 *
 * @module
 */
import { DEFAULT_MAX_FRAME, expectBytes, expectFields, LOCATOR_LENGTH, NotFoundError } from "../../protocol/wire/mod.ts";
import type { Handler } from "../runtime/mod.ts";
import { failsAsStorage } from "./_fails-as-storage.ts";
import { storageBatchHandlers } from "./batch.ts";
import type { Engine } from "./engine/mod.ts";

/** The role name of the storage actor. */
export const STORAGE_ROLE = "storage";

export { LOCATOR_LENGTH };

/** Limits of {@link storageHandlers}. */
export interface StorageLimits {
  /** Largest value, in bytes. @default 16 MiB */
  maxValue?: number;
  /** Most items of one `putMany` or `getMany`. @default 1000 */
  maxBatch?: number;
  /**
   * Bytes a `getMany` answer may take, each item counted as its value plus
   * `BATCH_ITEM_OVERHEAD`; values past it are answered `TOO_LARGE`.
   * @default 16 MiB less the frame overhead
   */
  maxAnswer?: number;
}

/**
 * Builds the handlers of the storage ops over an engine, the batch ops of
 * `batch.ts` included.
 *
 * @param engine The open engine.
 * @param limits Largest value, batch and batch answer accepted.
 * @returns Handlers by op name, for the actor runtime.
 */
export function storageHandlers(engine: Engine, limits: StorageLimits = {}): Record<string, Handler> {
  const { maxValue = DEFAULT_MAX_FRAME } = limits;
  const locatorOf = (body: unknown) => expectBytes(expectFields(body), "locator", { length: LOCATOR_LENGTH });

  return {
    ...storageBatchHandlers(engine, limits),
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
