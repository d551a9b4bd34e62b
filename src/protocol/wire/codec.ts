/**
 * The CBOR codec of the wire protocol: plain maps, byte strings for bytes,
 * no record extension, so that any CBOR implementation can talk to us.
 *
 * @module
 */
import { Encoder } from "cbor-x";
import { checkCbor } from "./cbor-check.ts";
import { RawBody, spliceBody } from "./raw-body.ts";

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
 * it is never overwritten by a later call. A message whose `body` is a
 * {@link RawBody} carries those bytes as its body, unchanged.
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
  const parts = encodeParts(value);
  return parts.length === 1 ? parts[0]! : spliceBody(parts[0]!, parts[1]!);
}

/**
 * Encodes one value as CBOR in parts that, written one after the other,
 * make the encoding: one part, or for a message whose `body` is a
 * {@link RawBody}, the envelope and then the body's own bytes, so that a
 * large body is never copied into a new buffer.
 *
 * @param value A message or a body.
 * @returns One or two parts.
 * @example Passing a body on
 * ```ts
 * import { encodeParts } from "./codec.ts";
 * import { RawBody } from "./raw-body.ts";
 * const [head, body] = encodeParts({ t: "res", id: 1, body: new RawBody(new Uint8Array([7])) });
 * ```
 */
export function encodeParts(value: unknown): Uint8Array[] {
  const body = typeof value === "object" && value !== null ? (value as { body?: unknown }).body : undefined;
  if (!(body instanceof RawBody)) return [cbor.encode(value)];
  // The envelope is encoded with the body last, as null; the body's bytes take the place of that null.
  const { body: _, ...envelope } = value as Record<string, unknown>;
  const head = cbor.encode({ ...envelope, body: null });
  return [head.subarray(0, head.length - 1), body.bytes];
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
