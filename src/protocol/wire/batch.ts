/**
 * Batches on the wire, shared by the client, the encryptor and the storage
 * actor: how many items a batch may hold, how much of a frame each item is
 * counted for, and how one item's result travels.
 *
 * An item's result is a map: its fields on success (`{ key }`,
 * `{ payload }`, `{ value }`), or `{ code, message }` when that item failed.
 *
 * @module
 */
import { type Code, isCode } from "./codes.ts";
import { BadRequestError, errorForCode, type StrongroomError, TooLargeError } from "./errors.ts";
import { type Fields, isFields } from "./fields.ts";

/** Most items in one batch request. */
export const DEFAULT_MAX_BATCH = 1000;

/**
 * Bytes of a frame counted for each item of a batch besides its id and
 * payload: the field names and lengths, the locator and cipher overhead that
 * the encryptor adds on its way to storage, or a failed item's code and
 * message on the way back.
 */
export const BATCH_ITEM_OVERHEAD = 256;

/** Longest message of a failed item, in characters. */
export const MAX_ITEM_MESSAGE = 1024;

/** A failed item as it travels. */
export interface ItemFailure {
  code: Code;
  message: string;
}

/**
 * The bytes of a frame one item of a batch is counted for. A batch fits
 * when the sum over its items is at most the `maxPayload` of the broker's
 * `welcome`; then every frame the batch causes fits too.
 *
 * @param idLength Bytes of the item's id (0 where there is none).
 * @param dataLength Bytes of the item's payload, key or value.
 * @returns The bytes counted.
 * @example Sizing a batch of 100 items of 1 KiB with 16-byte ids
 * ```ts
 * import { batchItemBytes } from "./batch.ts";
 * const bytes = 100 * batchItemBytes(16, 1024); // 129,600
 * ```
 */
export function batchItemBytes(idLength: number, dataLength: number): number {
  return idLength + dataLength + BATCH_ITEM_OVERHEAD;
}

/**
 * Reads the list of items of a batch request.
 *
 * @param fields The request body.
 * @param name The field holding the list.
 * @param max Most items allowed.
 * @returns The items, unvalidated.
 * @throws {BadRequestError} When the field is not a list.
 * @throws {TooLargeError} When it holds more than `max` items.
 */
export function expectItems(fields: Fields, name: string, max: number): readonly unknown[] {
  const items = fields[name];
  if (!Array.isArray(items)) throw new BadRequestError(`Invalid field "${name}": expected a list`);
  if (items.length > max) {
    throw new TooLargeError(`Invalid field "${name}": ${items.length} items is over the limit of ${max} a batch`);
  }
  return items;
}

/**
 * Turns an item's error into its result on the wire.
 *
 * @param error The error; its message must name no id, key or payload.
 * @returns `{ code, message }`.
 */
export function itemFailure(error: StrongroomError): ItemFailure {
  return { code: error.code, message: error.message };
}

/**
 * Reads the per-item results of a batch answer.
 *
 * @param answer The body of the answer, `{ results: [...] }`.
 * @param count How many results the request asked for.
 * @returns Per item, in order: its fields on success, or the error class
 *   instance for its code on failure.
 * @throws {BadRequestError} When the answer is not a map with one map per item.
 * @example Reading an answer
 * ```ts
 * import { readItemResults } from "./batch.ts";
 * const [first, second] = readItemResults({ results: [{ key: new Uint8Array(32) }, { code: "NOT_FOUND", message: "No record" }] }, 2);
 * ```
 */
export function readItemResults(answer: unknown, count: number): (Fields | StrongroomError)[] {
  const results = isFields(answer) ? answer.results : undefined;
  if (!Array.isArray(results) || results.length !== count) {
    throw new BadRequestError(`Invalid answer: expected a list of ${count} results`);
  }
  return results.map((result: unknown) => {
    if (!isFields(result)) throw new BadRequestError("Invalid answer: expected a map for each result");
    if (result.code === undefined) return result;
    const { code, message } = result;
    if (!isCode(code) || typeof message !== "string" || message.length > MAX_ITEM_MESSAGE) {
      throw new BadRequestError("Invalid answer: a failed result needs a known code and a message");
    }
    return errorForCode(code, message);
  });
}
