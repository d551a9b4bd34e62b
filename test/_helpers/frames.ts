/**
 * Frames written and read by hand, for tests that speak the protocol
 * without the peer runtime: any value encoded as CBOR (a message with a
 * `body` that is not bytes gets that body encoded for it), and frames
 * read back into their messages.
 *
 * @module
 */
import { decodeBody, encodeBody, type Message, parseFrame } from "../../src/protocol/wire/mod.ts";

/**
 * Encodes values as one frame: each a CBOR item, one after the other. A map
 * with a `body` that is not a `Uint8Array` has it encoded as the body's
 * CBOR, as the protocol carries it.
 *
 * @param values The messages (or any values, for frames that are not messages).
 * @returns The frame.
 */
export function frame(...values: unknown[]): Uint8Array {
  const parts = values.map((value) => {
    if (typeof value === "object" && value !== null && "body" in value && !((value as { body: unknown }).body instanceof Uint8Array)) {
      const { body, ...rest } = value as { body: unknown };
      return cbor({ ...rest, body: cbor(body) });
    }
    return cbor(value);
  });
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

/**
 * Encodes one value as CBOR, `null` included (which the protocol's body
 * codec writes as an empty body).
 *
 * @param value Any value.
 * @returns Its CBOR.
 */
export function cbor(value: unknown): Uint8Array {
  return value === null ? new Uint8Array([0xf6]) : Uint8Array.from(encodeBody(value));
}

/**
 * Reads every message of a frame.
 *
 * @param bytes The frame.
 * @returns Its messages, in order; an invalid request becomes an `err` message for it.
 */
export function readFrame(bytes: Uint8Array): Message[] {
  const messages: Message[] = [];
  parseFrame(bytes, {
    message: (message) => messages.push(message),
    invalid: (error) => messages.push({ t: "err", id: error.requestId, code: error.code, message: error.message, retryable: error.retryable }),
  }, { maxFrame: Number.MAX_SAFE_INTEGER });
  return messages;
}

/**
 * Reads every message of a frame, with the bodies of `req` and `res`
 * decoded, for comparing with what a test expects.
 *
 * @param bytes The frame.
 * @returns Its messages, bodies decoded.
 */
export function readDecoded(bytes: Uint8Array): DecodedMessage[] {
  return readFrame(bytes).map((message) => ("body" in message ? { ...message, body: decodeBody(message.body) } : message) as DecodedMessage);
}

/** A message as a test reads it: any of the fields of any type, its body decoded. */
export interface DecodedMessage {
  t: Message["t"];
  id?: unknown;
  code?: string;
  message?: string;
  retryable?: boolean;
  body?: unknown;
  [field: string]: unknown;
}
