/**
 * A body kept as the CBOR bytes it arrived in. The broker reads envelopes
 * only: it passes each body on as bytes, without decoding it into objects
 * and encoding it again, which was most of its work per request and a copy
 * of every payload.
 *
 * @module
 */

/** The CBOR bytes of one body, passed on as they are. */
export class RawBody {
  /** Exactly one CBOR value. */
  readonly bytes: Uint8Array;

  /**
   * @param bytes The encoded body: one well-formed CBOR value, already checked.
   */
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
}

const NULL = 0xf6;

/**
 * Cuts the body out of a frame, leaving `null` in its place, so that the
 * rest decodes to a small envelope however large the body is.
 *
 * @param frame The frame.
 * @param start Where the body's value starts.
 * @param end Where it ends.
 * @returns The envelope's bytes and the body.
 */
export function cutBody(frame: Uint8Array, start: number, end: number): { envelope: Uint8Array; body: RawBody } {
  const envelope = new Uint8Array(start + 1 + frame.length - end);
  envelope.set(frame.subarray(0, start));
  envelope[start] = NULL;
  envelope.set(frame.subarray(end), start + 1);
  return { envelope, body: new RawBody(frame.subarray(start, end)) };
}

/**
 * Joins an envelope encoded without its body's value (it ends with the
 * `body` key) and the body's bytes into one frame.
 *
 * @param head The envelope, up to and with the key `body`.
 * @param body The body's bytes.
 * @returns The frame.
 */
export function spliceBody(head: Uint8Array, body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(head.length + body.length);
  frame.set(head);
  frame.set(body, head.length);
  return frame;
}
