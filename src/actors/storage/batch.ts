/**
 * The storage actor's batch ops, `putMany` and `getMany`: the encryptor's
 * `storeMany` and `retrieveMany` become one storage request each.
 *
 * Only the encryptor calls them, and it validates every item first, so a
 * malformed item refuses the whole request before anything is written.
 *
 * @module
 */
import {
  BadRequestError,
  BATCH_ITEM_OVERHEAD,
  DEFAULT_MAX_BATCH,
  DEFAULT_MAX_FRAME,
  expectBytes,
  expectFields,
  expectInteger,
  expectItems,
  isFields,
  itemFailure,
  maxPayloadFor,
  NotFoundError,
  StrongroomError,
  TooLargeError,
} from "../../protocol/wire/mod.ts";
import type { Handler } from "../runtime/mod.ts";
import { type Engine, KEY_LENGTH as LOCATOR_LENGTH } from "./engine/mod.ts";
import { failsAsStorage } from "./_fails-as-storage.ts";
import type { StorageLimits } from "./storage.ts";

const MISS = "No value under this locator";

/**
 * Builds the handlers of `putMany` and `getMany` over an engine.
 *
 * - `putMany { items: [{ locator, value }] }` → `{}` once every value is
 *   on disk. All puts are handed to the engine at once, so that they share
 *   one write and one fsync; the batch succeeds or fails as a whole.
 * - `getMany { locators: [locator], room? }` → `{ results: [{ value } | { code, message }] }`
 *   in the order asked; records that lie close together are read at once.
 *   A locator that holds nothing is `NOT_FOUND`; a value that does not fit
 *   the answer is `TOO_LARGE` (values are taken in order while they fit); a
 *   value that fails its checksum is `STORAGE_FAILED`. `room` lowers the
 *   bytes of values the answer may hold, for a caller whose own answer has
 *   more to carry.
 *
 * @param engine The open engine.
 * @param limits Largest value, batch and answer.
 * @returns Handlers by op name, for the actor runtime.
 */
export function storageBatchHandlers(engine: Engine, limits: StorageLimits = {}): Record<string, Handler> {
  const { maxValue = DEFAULT_MAX_FRAME, maxBatch = DEFAULT_MAX_BATCH, maxAnswer = maxPayloadFor(DEFAULT_MAX_FRAME) } = limits;

  return {
    async putMany({ body }) {
      const items = expectItems(expectFields(body), "items", maxBatch).map((item, i) =>
        inItem(i, () => {
          if (!isFields(item)) throw new BadRequestError("expected a map");
          return {
            locator: expectBytes(item, "locator", { length: LOCATOR_LENGTH }),
            value: expectBytes(item, "value", { max: maxValue }),
          };
        }),
      );
      // Handed over in one tick, the puts join one turn of the commit loop.
      await failsAsStorage(Promise.all(items.map(({ locator, value }) => engine.put(locator, value))), "write");
      return {};
    },

    async getMany({ body }) {
      const fields = expectFields(body);
      const locators = expectItems(fields, "locators", maxBatch).map((locator, i) =>
        inItem(i, () => expectBytes({ locator }, "locator", { length: LOCATOR_LENGTH })),
      );
      // Every result is counted its overhead and values fill what is left, in
      // order: lengths come first, so that no value is read that would not fit.
      let room = maxAnswer - locators.length * BATCH_ITEM_OVERHEAD;
      if (fields.room !== undefined) room = Math.min(room, expectInteger(fields, "room", 0, Number.MAX_SAFE_INTEGER));
      const results: unknown[] = locators.map((locator) => {
        const length = engine.valueLength(locator);
        if (length === undefined) return itemFailure(new NotFoundError(MISS));
        if (length > room) return itemFailure(new TooLargeError("Cannot fit the value in this answer: get it alone or in a smaller batch"));
        room -= length;
        return undefined;
      });
      const wanted = locators.filter((_, i) => results[i] === undefined);
      const values = await failsAsStorage(engine.getMany(wanted), "read");
      let next = 0;
      for (const [i, result] of results.entries()) {
        if (result !== undefined) continue;
        const value = values[next++];
        results[i] = value instanceof StrongroomError ? itemFailure(value) : value ? { value } : itemFailure(new NotFoundError(MISS));
      }
      return { results };
    },
  };
}

// Names the item's place in the batch (never its bytes) in what its check throws.
function inItem<T>(index: number, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof StrongroomError)) throw error;
    const Class = error instanceof TooLargeError ? TooLargeError : BadRequestError;
    throw new Class(`Invalid item ${index}: ${error.message}`);
  }
}
