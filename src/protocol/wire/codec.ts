/**
 * The CBOR of bodies: an op's arguments and its result, carried in a
 * message's `body` byte string. Plain maps, byte strings for bytes, no
 * record extension, so that any CBOR implementation can talk to us. Only
 * the caller and the actor that serves the op encode and decode a body;
 * nobody on the way does.
 *
 * @module
 */
import { Encoder } from "cbor-x";

const cbor = new Encoder({
  useRecords: false,
  mapsAsObjects: true,
  // Uint8Array travels as a plain byte string (major type 2), never as a tagged typed array.
  tagUint8Array: false,
});

const EMPTY = new Uint8Array(0);

/**
 * Encodes a body as CBOR. `null` and `undefined` are the empty body.
 *
 * The result may be a view into a larger buffer shared with earlier results;
 * it is never overwritten by a later call.
 *
 * @param value The arguments or result of an op.
 * @returns The CBOR bytes.
 * @example Encoding the arguments of a store
 * ```ts
 * import { encodeBody } from "./codec.ts";
 * const body = encodeBody({ id: new Uint8Array([1]), payload: new Uint8Array([2]) });
 * ```
 */
export function encodeBody(value: unknown): Uint8Array {
  return value === null || value === undefined ? EMPTY : cbor.encode(value);
}

/**
 * Decodes a body. Byte strings come back as views into `bytes` without a
 * copy. A body is the sender's to choose: validate what comes back before
 * using it.
 *
 * @param bytes The body; empty stands for `null`.
 * @returns The decoded value, of any shape.
 * @throws {SyntaxError} When `bytes` is not exactly one CBOR value the decoder can read.
 * @example A round trip
 * ```ts
 * import { decodeBody, encodeBody } from "./codec.ts";
 * decodeBody(encodeBody({ n: 1 })); // { n: 1 }
 * ```
 */
export function decodeBody(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return null;
  try {
    return cbor.decode(bytes);
  } catch (error) {
    throw new SyntaxError("Cannot decode CBOR body", { cause: error });
  }
}
