/**
 * Bytes as the client takes and gives them.
 *
 * TODO(#6): `client.ts` has its own copies of these helpers; let it import them from here.
 *
 * @module
 */

/** Length of a record key, in bytes. */
export const KEY_LENGTH = 32;

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
