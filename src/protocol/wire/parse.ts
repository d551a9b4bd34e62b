/**
 * The pure frame decoder: bytes in, a validated {@link Message} out, or a
 * {@link ProtocolError} that says what was wrong and, when it can be told,
 * which request it was. No I/O, no logging.
 *
 * @module
 */
import { locateBody, locateBodyLoosely } from "./cbor-check.ts";
import { decode } from "./codec.ts";
import { type Code, isCode, CODES } from "./codes.ts";
import { StrongroomError } from "./errors.ts";
import { expectInteger, expectString, type Fields, isFields } from "./fields.ts";
import {
  DEFAULT_MAX_FRAME,
  MAX_CORRELATION_ID_LENGTH,
  MAX_ENVELOPE,
  MAX_ERROR_MESSAGE_LENGTH,
  MAX_NAME_LENGTH,
  MAX_TOKEN_LENGTH,
  MAX_TTL_MS,
} from "./limits.ts";
import type { Cancel, CorrelationId, Message } from "./messages.ts";
import { cutBody, RawBody } from "./raw-body.ts";

/** Pattern of role names; `$` starts the names of roles the broker serves itself. */
export const ROLE_PATTERN = /^\$?[a-z][a-z0-9._-]*$/;
/** Pattern of op names. */
export const OP_PATTERN = /^[a-zA-Z][a-zA-Z0-9._-]*$/;

const MAX_PEER_NAME_LENGTH = 128;
const MAX_TENANT_LENGTH = 256;
const MAX_CONCURRENCY = 65_536;

/**
 * A frame that could not be turned into a message. `requestId` is the
 * correlation id of the request it belonged to, when one could be read, so
 * that the receiver can answer that request instead of closing.
 */
export class ProtocolError extends StrongroomError {
  /** The correlation id of the bad frame when it is a `req`, else `null`. */
  readonly requestId: CorrelationId | null;

  /**
   * @param code `BAD_REQUEST` or `TOO_LARGE`.
   * @param message What was wrong, naming the field.
   * @param requestId The correlation id of the frame, if one was readable.
   * @param options `cause` of the error.
   */
  constructor(code: Code, message: string, requestId: CorrelationId | null, options?: ErrorOptions) {
    super(code, message, options);
    this.name = "ProtocolError";
    this.requestId = requestId;
  }
}

/** Options of {@link parseFrame}. */
export interface ParseOptions {
  /** Largest frame accepted, in bytes. @default {DEFAULT_MAX_FRAME} */
  maxFrame?: number;
  /**
   * Whether to keep the body as its bytes (a {@link RawBody}) instead of
   * decoding it: for a receiver that only passes bodies on. The rest of the
   * frame, its envelope, is then decoded only up to {@link MAX_ENVELOPE}
   * bytes. @default false
   */
  rawBody?: boolean;
}

/**
 * Tells whether a value can be a correlation id.
 *
 * @param value A decoded value.
 * @returns `true` for a non-negative safe integer or a short non-empty string.
 */
export function isCorrelationId(value: unknown): value is CorrelationId {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0;
  return typeof value === "string" && value.length > 0 && value.length <= MAX_CORRELATION_ID_LENGTH;
}

/**
 * Decodes and validates one frame.
 *
 * @param frame The bytes of one binary WebSocket message.
 * @param options Limits.
 * @returns The message, with every field of its type checked.
 * @throws {ProtocolError} `TOO_LARGE` for an oversized frame or (with `rawBody`) envelope,
 *   `BAD_REQUEST` for anything malformed.
 * @example Parsing a frame
 * ```ts
 * import { encode } from "./codec.ts";
 * import { parseFrame } from "./parse.ts";
 * const message = parseFrame(encode({ t: "cancel", id: 7 }));
 * ```
 */
export function parseFrame(frame: Uint8Array, options: ParseOptions = {}): Message {
  const { maxFrame = DEFAULT_MAX_FRAME } = options;
  if (frame.byteLength > maxFrame) {
    throw new ProtocolError("TOO_LARGE", `Frame of ${frame.byteLength} bytes is over the limit of ${maxFrame}`, null);
  }
  let value: unknown;
  let body: RawBody | undefined;
  try {
    if (options.rawBody) {
      const span = locateBody(frame);
      // Decoding builds objects from every byte: only the body may be large, and it is not decoded.
      // The envelope keeps a one-byte null in the body's place.
      const envelope = span ? frame.byteLength - (span.end - span.start) + 1 : frame.byteLength;
      if (envelope > MAX_ENVELOPE) {
        throw new ProtocolError("TOO_LARGE", `Envelope of ${envelope} bytes is over the limit of ${MAX_ENVELOPE}`, null);
      }
      if (span) {
        const cut = cutBody(frame, span.start, span.end);
        body = cut.body;
        frame = cut.envelope;
      }
    }
    value = decode(frame);
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    // Once the body is cut out, what fails is the envelope; before, it may be the body alone.
    const id = body ? null : idOfRequestWithBadBody(frame);
    if (id !== null) {
      throw new ProtocolError("BAD_REQUEST", `Invalid field "body": not CBOR of the protocol's data model`, id, { cause: error });
    }
    throw new ProtocolError("BAD_REQUEST", "Frame is not valid CBOR", null, { cause: error });
  }
  if (body && isFields(value)) value.body = body;
  if (!isFields(value)) throw new ProtocolError("BAD_REQUEST", "Frame is not a CBOR map", null);
  // Only a request can be answered in place of closing: an `err` under the id of any other frame
  // would settle whatever the receiver itself has in flight under that id.
  const id = value.t === "req" && isCorrelationId(value.id) ? value.id : null;
  try {
    return toMessage(value);
  } catch (error) {
    if (error instanceof StrongroomError) throw new ProtocolError(error.code, error.message, id, { cause: error });
    throw error;
  }
}

/**
 * The correlation id of a frame that failed to decode, when it is a request
 * whose envelope decodes without its body: the body alone is at fault, and
 * the receiver can answer that request rather than close the connection.
 */
function idOfRequestWithBadBody(frame: Uint8Array): CorrelationId | null {
  let envelope: unknown;
  try {
    const span = locateBodyLoosely(frame);
    if (!span || frame.byteLength - (span.end - span.start) + 1 > MAX_ENVELOPE) return null;
    envelope = decode(cutBody(frame, span.start, span.end).envelope);
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
  return isFields(envelope) && envelope.t === "req" && isCorrelationId(envelope.id) ? envelope.id : null;
}

function toMessage(f: Fields): Message {
  switch (f.t) {
    case "req": {
      const message: Message = {
        t: "req",
        id: correlationId(f),
        to: expectString(f, "to", MAX_NAME_LENGTH, ROLE_PATTERN),
        op: expectString(f, "op", MAX_NAME_LENGTH, OP_PATTERN),
        body: f.body ?? null,
      };
      if (f.ttl !== undefined) message.ttl = expectInteger(f, "ttl", 0, MAX_TTL_MS);
      if (f.tenant !== undefined) message.tenant = expectString(f, "tenant", MAX_TENANT_LENGTH);
      return message;
    }
    case "res":
      return { t: "res", id: correlationId(f), body: f.body ?? null };
    case "err": {
      const code = isCode(f.code) ? f.code : "INTERNAL";
      return {
        t: "err",
        id: f.id === null || f.id === undefined ? null : correlationId(f),
        code,
        message: typeof f.message === "string" ? f.message.slice(0, MAX_ERROR_MESSAGE_LENGTH) : CODES[code].description,
        retryable: typeof f.retryable === "boolean" ? f.retryable : CODES[code].retryable,
      };
    }
    case "cancel": {
      // A cancel is never refused: refusing it would answer a request still in flight. A code
      // other than TIMEOUT (from a newer peer, say) cancels.
      const message: Cancel = { t: "cancel", id: correlationId(f) };
      if (f.code === "TIMEOUT") message.code = "TIMEOUT";
      return message;
    }
    case "drain":
      return { t: "drain" };
    case "hello": {
      const message: Message = { t: "hello" };
      if (f.token !== undefined) message.token = expectString(f, "token", MAX_TOKEN_LENGTH);
      if (f.role !== undefined) message.role = expectString(f, "role", MAX_NAME_LENGTH, ROLE_PATTERN);
      if (f.name !== undefined) message.name = expectString(f, "name", MAX_PEER_NAME_LENGTH);
      if (f.concurrency !== undefined) message.concurrency = expectInteger(f, "concurrency", 1, MAX_CONCURRENCY);
      return message;
    }
    case "welcome": {
      const message: Message = {
        t: "welcome",
        id: expectString(f, "id", MAX_CORRELATION_ID_LENGTH),
        maxFrame: expectInteger(f, "maxFrame", 1, Number.MAX_SAFE_INTEGER),
        maxPayload: expectInteger(f, "maxPayload", 0, Number.MAX_SAFE_INTEGER),
        maxId: expectInteger(f, "maxId", 1, Number.MAX_SAFE_INTEGER),
        maxInFlight: expectInteger(f, "maxInFlight", 1, Number.MAX_SAFE_INTEGER),
      };
      if (f.heartbeat !== undefined) message.heartbeat = expectInteger(f, "heartbeat", 0, MAX_TTL_MS);
      return message;
    }
    default:
      throw new ProtocolError("BAD_REQUEST", `Unknown message type ${describeType(f.t)}`, null);
  }
}

function correlationId(f: Fields): CorrelationId {
  if (!isCorrelationId(f.id)) {
    throw new ProtocolError(
      "BAD_REQUEST",
      `Invalid field "id": expected a non-negative integer or a string of 1 to ${MAX_CORRELATION_ID_LENGTH} characters`,
      null,
    );
  }
  return f.id;
}

function describeType(t: unknown): string {
  return typeof t === "string" ? `"${t.slice(0, MAX_NAME_LENGTH)}"` : `of type ${typeof t}`;
}
