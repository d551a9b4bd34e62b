/**
 * Bytes as the client takes and gives them, and the checks of ids and keys
 * made before anything is sent, shared by single calls and batches.
 *
 * @module
 */
import { BadRequestError, KEY_LENGTH, TooLargeError } from "../protocol/wire/mod.ts";

export { KEY_LENGTH };

/** Ids and payloads: bytes, or text taken as UTF-8. */
export type BytesLike = Uint8Array | string;

const textEncoder = new TextEncoder();

/**
 * Takes bytes as they are and text as UTF-8.
 *
 * @param value Bytes or text.
 * @returns The bytes.
 * @throws {TypeError} When `value` is neither.
 */
export function toBytes(value: BytesLike): Uint8Array {
  if (typeof value === "string") return textEncoder.encode(value);
  if (value instanceof Uint8Array) return value;
  throw new TypeError("Invalid argument: expected a Uint8Array or a string");
}

/**
 * Gives a plain `Uint8Array` view of bytes that may be a subclass (Node's
 * `ws` hands over Buffers), without a copy.
 *
 * @param bytes The bytes.
 * @returns A `Uint8Array` over the same memory.
 */
export function plain(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Checks an id against the broker's limit.
 *
 * @param id The id's bytes.
 * @param maxId The largest id, in bytes, from the broker's `welcome`.
 * @returns A `TOO_LARGE` error for an id over the limit, else `undefined`.
 */
export function idError(id: Uint8Array, maxId: number): TooLargeError | undefined {
  return id.byteLength > maxId ? new TooLargeError(`Invalid id: ${id.byteLength} bytes is over the limit of ${maxId}`) : undefined;
}

/**
 * Checks a payload against the broker's limit.
 *
 * @param payload The payload's bytes.
 * @param maxPayload The largest payload, in bytes, from the broker's `welcome`.
 * @returns A `TOO_LARGE` error for a payload over the limit, else `undefined`.
 */
export function payloadError(payload: Uint8Array, maxPayload: number): TooLargeError | undefined {
  return payload.byteLength > maxPayload ? new TooLargeError(`Cannot store ${payload.byteLength} bytes: the limit is ${maxPayload}`) : undefined;
}

/**
 * Checks a record key.
 *
 * @param key What the caller gave as a key.
 * @returns A `BAD_REQUEST` error for a key of the wrong length, else `undefined`.
 * @throws {TypeError} When `key` is not a `Uint8Array`: a mistake in the calling code, not in the data.
 */
export function keyError(key: unknown): BadRequestError | undefined {
  if (!(key instanceof Uint8Array)) throw new TypeError("Invalid key: expected a Uint8Array");
  return key.byteLength === KEY_LENGTH ? undefined : new BadRequestError(`Invalid key: expected ${KEY_LENGTH} bytes, got ${key.byteLength}`);
}
