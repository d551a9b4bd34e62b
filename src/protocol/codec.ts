/**
 * The CBOR codec of the wire protocol: plain maps, byte strings for bytes,
 * no record extension, so that any CBOR implementation can talk to us.
 *
 * @module
 */
import { Encoder } from "cbor-x";
import { checkCbor } from "./cbor-check.ts";

const cbor = new Encoder({
  useRecords: false,
  mapsAsObjects: true,
  // Uint8Array travels as a plain byte string (major type 2), never as a tagged typed array.
  tagUint8Array: false,
});

/**
 * Encodes one value as CBOR.
 *
 * The result may be a view into a larger buffer shared with earlier results;
 * it is never overwritten by a later call.
 *
 * @param value A message or a body.
 * @returns The CBOR bytes.
 * @example Encoding a message
 * ```ts
 * import { encode } from "./codec.ts";
 * const frame = encode({ t: "cancel", id: 1 });
 * ```
 */
export function encode(value: unknown): Uint8Array {
  return cbor.encode(value);
}

/**
 * Decodes one CBOR value. Byte strings come back as views into `bytes`
 * without a copy. The bytes are checked first ({@link checkCbor}): no tags,
 * bounded nesting, so that what comes back is a plain tree no larger than
 * the bytes.
 *
 * @param bytes Exactly one CBOR value.
 * @returns The decoded value, of any shape: validate it before use.
 * @throws {SyntaxError} When `bytes` is not one well-formed CBOR value of the protocol's data model.
 * @example Decoding a frame
 * ```ts
 * import { decode, encode } from "./codec.ts";
 * decode(encode({ t: "drain" })); // { t: "drain" }
 * ```
 */
export function decode(bytes: Uint8Array): unknown {
  try {
    checkCbor(bytes);
    return cbor.decode(bytes);
  } catch (error) {
    throw new SyntaxError("Cannot decode CBOR frame", { cause: error });
  }
}
