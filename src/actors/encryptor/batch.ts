/**
 * The encryptor's batch ops, `storeMany` and `retrieveMany`: each item is
 * checked, derived and sealed (or opened) on its own, and the whole batch
 * makes one storage request. One item's failure does not fail the others;
 * a failure of the request itself (storage unreachable, time out) fails
 * the whole call.
 *
 * @module
 */
import {
  BadRequestError,
  batchItemBytes,
  DEFAULT_MAX_BATCH,
  DEFAULT_MAX_FRAME,
  DEFAULT_MAX_ID,
  expectBytes,
  expectFields,
  expectItems,
  type Fields,
  isFields,
  itemFailure,
  maxPayloadFor,
  NotFoundError,
  readAnswer,
  readItemResults,
  StorageFailedError,
  StrongroomError,
  TooLargeError,
} from "../../protocol/wire/mod.ts";
import type { ActorContext, Handler } from "../runtime/mod.ts";
import { associatedData, deriveKeys, KEY_LENGTH, NONCE_LENGTH, open, sealInto, VALUE_OVERHEAD } from "./crypto.ts";
import { DAMAGED, MISS, STORAGE_ROLE } from "./_storage.ts";
import type { EncryptorLimits } from "./encryptor.ts";
import { randomView } from "./random-pool.ts";

/** An item that passed its checks, with its place in the batch. */
interface Checked<T> {
  readonly index: number;
  readonly fields: T;
}

const textEncoder = new TextEncoder();

/**
 * Builds the handlers of the batch ops.
 *
 * - `storeMany { items: [{ id, payload }] }` → `{ results: [{ key } | { code, message }] }`;
 *   the stored items make one `putMany` to storage and are answered after
 *   its fsync.
 * - `retrieveMany { items: [{ id, key }] }` → `{ results: [{ payload } | { code, message }] }`;
 *   one `getMany` to storage. A wrong key and an unknown id are the same
 *   `NOT_FOUND` as for `retrieve`.
 *
 * Results are in the order of the items. More than `maxBatch` items, or a
 * `storeMany` whose items add up to more than `maxPayload` (each counted by
 * `batchItemBytes`), is `TOO_LARGE` for the whole request.
 *
 * @param limits Largest id, payload and batch.
 * @returns Handlers by op name, for the actor runtime.
 */
export function encryptorBatchHandlers(limits: EncryptorLimits = {}): Record<string, Handler> {
  const { maxId = DEFAULT_MAX_ID, maxPayload = maxPayloadFor(DEFAULT_MAX_FRAME), maxBatch = DEFAULT_MAX_BATCH } = limits;

  function readItems<F extends "payload" | "key">(context: ActorContext, dataField: F, check: (item: Fields) => Record<F, Uint8Array>) {
    const items = expectItems(expectFields(context.body), "items", maxBatch);
    const results: unknown[] = new Array(items.length);
    const checked: Checked<Record<F | "id", Uint8Array>>[] = [];
    // Items that pass count their id and data; the others only their answer.
    let bytes = 0;
    for (const [index, item] of items.entries()) {
      try {
        if (!isFields(item)) throw new BadRequestError("Invalid item: expected a map");
        const id = expectBytes(item, "id", { max: maxId });
        const fields = { ...check(item), id };
        checked.push({ index, fields });
        bytes += batchItemBytes(id.byteLength, fields[dataField].byteLength);
      } catch (error) {
        if (!(error instanceof StrongroomError)) throw error;
        results[index] = itemFailure(error);
        bytes += batchItemBytes(0, 0);
      }
    }
    if (bytes > maxPayload) {
      throw new TooLargeError(`Cannot take a batch of ${bytes} bytes: the limit is ${maxPayload}, counting ${batchItemBytes(0, 0)} bytes an item`);
    }
    return { results, checked, tenant: textEncoder.encode(context.tenant) };
  }

  return {
    async storeMany(context) {
      const { results, checked, tenant } = readItems(context, "payload", (item) => ({
        payload: expectBytes(item, "payload", { max: maxPayload }),
      }));
      // One draw of randomness for every key and nonce, and one buffer for every value of the batch.
      const random = randomView(checked.length * (KEY_LENGTH + NONCE_LENGTH));
      const values = new Uint8Array(checked.reduce((sum, { fields }) => sum + VALUE_OVERHEAD + fields.payload.length, 0));
      let valueAt = 0;
      const keys: Uint8Array[] = [];
      const puts = checked.map(({ fields: { id, payload } }, n) => {
        const at = n * (KEY_LENGTH + NONCE_LENGTH);
        const key = random.subarray(at, at + KEY_LENGTH);
        const nonce = random.subarray(at + KEY_LENGTH, at + KEY_LENGTH + NONCE_LENGTH);
        const { encKey, locator } = deriveKeys(key, tenant, id);
        const value = values.subarray(valueAt, (valueAt += VALUE_OVERHEAD + payload.length));
        sealInto(value, encKey, associatedData(tenant, id), payload, nonce);
        keys.push(key);
        return { locator, value };
      });
      if (puts.length > 0) await context.call(STORAGE_ROLE, "putMany", { items: puts });
      for (const [n, { index }] of checked.entries()) results[index] = { key: keys[n] };
      return { results };
    },

    async retrieveMany(context) {
      const { results, checked, tenant } = readItems(context, "key", (item) => ({
        key: expectBytes(item, "key", { length: KEY_LENGTH }),
      }));
      const derived = checked.map(({ fields: { id, key } }) => ({
        ...deriveKeys(key, tenant, id),
        aad: associatedData(tenant, id),
      }));
      if (derived.length > 0) {
        // This answer carries a result for every item, those that failed their checks too: the values get the rest.
        const room = Math.max(0, maxPayload - results.length * batchItemBytes(0, 0));
        const answer = await context.call(STORAGE_ROLE, "getMany", { locators: derived.map((d) => d.locator), room });
        const stored = storageResults(answer, derived.length);
        for (const [n, { index }] of checked.entries()) results[index] = opened(stored[n]!, derived[n]!.encKey, derived[n]!.aad);
      }
      return { results };
    },
  };
}

// Storage's answer is checked like any input, but a malformed one is this
// service's fault, not the caller's: INTERNAL, never BAD_REQUEST.
function storageResults(answer: unknown, count: number): (Uint8Array | StrongroomError)[] {
  return readAnswer(STORAGE_ROLE, "getMany", () =>
    readItemResults(answer, count).map((stored) => (stored instanceof StrongroomError ? stored : expectBytes(stored, "value"))));
}

function opened(stored: Uint8Array | StrongroomError, encKey: Uint8Array, aad: Uint8Array) {
  if (stored instanceof NotFoundError) return itemFailure(new NotFoundError(MISS));
  if (stored instanceof StrongroomError) return itemFailure(stored);
  const payload = open(encKey, aad, stored);
  return payload ? { payload } : itemFailure(new StorageFailedError(DAMAGED));
}
