/**
 * The pure frame decoder: a frame's bytes in, each of its messages validated
 * and handed to a {@link FrameHandler}, or a {@link ProtocolError} that says
 * what was wrong and, when it can be told, which request it was. No I/O, no
 * logging. Bodies are not decoded: they stay byte strings, views of the
 * frame, for the one actor or caller that reads them.
 *
 * @module
 */
import { type Code, CODES, isCode } from "./codes.ts";
import { EnvelopeError, EnvelopeKeys, EnvelopeTooLargeError, type EnvelopeValue, readEnvelope } from "./envelope.ts";
import { StrongroomError } from "./errors.ts";
import { expectInteger, expectString, type Fields } from "./fields.ts";
import {
  DEFAULT_MAX_FRAME,
  MAX_CHUNK,
  MAX_CORRELATION_ID_LENGTH,
  MAX_CREDIT,
  MAX_ENVELOPE,
  MAX_ERROR_MESSAGE_LENGTH,
  MAX_NAME_LENGTH,
  MAX_TOKEN_LENGTH,
  MAX_TTL_MS,
} from "./limits.ts";
import type { Cancel, CorrelationId, Message } from "./messages.ts";

/** Pattern of role names; `$` starts the names of roles the broker serves itself. */
export const ROLE_PATTERN = /^\$?[a-z][a-z0-9._-]*$/;
/** Pattern of op names. */
export const OP_PATTERN = /^[a-zA-Z][a-zA-Z0-9._-]*$/;

const MAX_PEER_NAME_LENGTH = 128;
const MAX_TENANT_LENGTH = 256;
const MAX_CONCURRENCY = 65_536;
const EMPTY = new Uint8Array(0);

// The keys any message of this version has; others are read past, so that a newer peer may add some.
// Bodies are counted bytes that nobody on the way decodes; texts that repeat are cached.
const KEYS = new EnvelopeKeys({
  t: { repeats: true },
  id: {},
  to: { repeats: true },
  op: { repeats: true },
  body: { counted: true },
  ttl: {},
  tenant: { repeats: true },
  code: { repeats: true },
  message: {},
  retryable: {},
  token: {},
  role: { repeats: true },
  name: {},
  concurrency: {},
  maxFrame: {},
  maxPayload: {},
  maxId: {},
  maxInFlight: {},
  heartbeat: {},
  stream: {},
  seq: {},
  chunk: { counted: true },
  end: {},
  n: {},
  back: {},
});

/**
 * A message that could not be read. `requestId` is the correlation id of the
 * request it belonged to, when one could be read, so that the receiver can
 * answer that request instead of closing.
 */
export class ProtocolError extends StrongroomError {
  /** The correlation id of the bad message when it is a `req`, else `null`. */
  readonly requestId: CorrelationId | null;

  /**
   * @param code `BAD_REQUEST` or `TOO_LARGE`.
   * @param message What was wrong, naming the field.
   * @param requestId The correlation id of the message, if one was readable.
   * @param options `cause` of the error.
   */
  constructor(code: Code, message: string, requestId: CorrelationId | null, options?: ErrorOptions) {
    super(code, message, options);
    this.name = "ProtocolError";
    this.requestId = requestId;
  }
}

/** Receives what {@link parseFrame} reads, in the order of the frame. */
export interface FrameHandler {
  /**
   * One valid message.
   *
   * @param message The message; its `body` is a view of the frame.
   * @param size The bytes it took in the frame.
   */
  message(message: Message, size: number): void;
  /**
   * A request that is invalid but whose id could be read: answer it, and
   * the frame goes on with its next message.
   *
   * @param error Why, with the request's id.
   */
  invalid(error: ProtocolError & { requestId: CorrelationId }): void;
}

/** Options of {@link parseFrame}. */
export interface ParseOptions {
  /** Largest frame accepted, in bytes. @default {DEFAULT_MAX_FRAME} */
  maxFrame?: number;
  /** Largest envelope of one message, in bytes. @default {MAX_ENVELOPE} */
  maxEnvelope?: number;
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
 * Reads every message of a frame, in order, and hands each to `handler`.
 * A request that is invalid in a way its own answer can say is handed to
 * `handler.invalid` and the frame goes on; anything else ends the frame with
 * an error, since the messages after it can no longer be trusted or found,
 * and the receiver should close the connection. Messages before it were
 * handed over already.
 *
 * @param frame The bytes of one binary WebSocket message.
 * @param handler Receives the messages.
 * @param options Limits.
 * @throws {ProtocolError} `TOO_LARGE` for an oversized frame or envelope, `BAD_REQUEST` for
 *   anything else malformed; its `requestId` is `null`.
 * @example Reading a frame
 * ```ts
 * import { encodeFrame } from "./frame-writer.ts";
 * import { parseFrame } from "./parse.ts";
 * parseFrame(encodeFrame({ t: "cancel", id: 7 }, { t: "drain" }), {
 *   message: (message) => console.log(message.t),
 *   invalid: (error) => console.log(error.requestId, error.message),
 * });
 * ```
 */
export function parseFrame(frame: Uint8Array, handler: FrameHandler, options: ParseOptions = {}): void {
  const { maxFrame = DEFAULT_MAX_FRAME, maxEnvelope = MAX_ENVELOPE } = options;
  if (frame.byteLength > maxFrame) {
    throw new ProtocolError("TOO_LARGE", `Frame of ${frame.byteLength} bytes is over the limit of ${maxFrame}`, null);
  }
  if (frame.byteLength === 0) throw new ProtocolError("BAD_REQUEST", "Frame is empty", null);
  // Views of a plain Uint8Array cost less to make than views of a Buffer, and bodies are views.
  if (frame.constructor !== Uint8Array) frame = new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
  let at = 0;
  while (at < frame.byteLength) {
    let read;
    try {
      read = readEnvelope(frame, at, KEYS, maxEnvelope);
    } catch (error) {
      if (error instanceof EnvelopeTooLargeError) throw new ProtocolError("TOO_LARGE", error.message, null, { cause: error });
      if (error instanceof EnvelopeError) throw new ProtocolError("BAD_REQUEST", error.message, null, { cause: error });
      throw error;
    }
    const { fields } = read;
    const size = read.end - at;
    at = read.end;
    // Only a request can be answered in place of closing: an `err` under the id of any other
    // message would settle whatever the receiver itself has in flight under that id.
    const id = fields.t === "req" && isCorrelationId(fields.id) ? fields.id : null;
    let message: Message;
    try {
      if (read.problem) throw new ProtocolError("BAD_REQUEST", read.problem, id);
      message = toMessage(fields);
    } catch (error) {
      if (!(error instanceof StrongroomError)) throw error;
      const failure = error instanceof ProtocolError ? error : new ProtocolError(error.code, error.message, id, { cause: error });
      if (id === null) throw failure;
      handler.invalid(new ProtocolError(failure.code, failure.message, id, { cause: failure.cause }) as ProtocolError & { requestId: CorrelationId });
      continue;
    }
    handler.message(message, size);
  }
}

/**
 * Reads a frame that must hold exactly one message, such as a `hello` or
 * a `welcome`.
 *
 * @param frame The bytes of one binary WebSocket message.
 * @param options Limits.
 * @returns The message.
 * @throws {ProtocolError} As {@link parseFrame}, and `BAD_REQUEST` when the frame holds more than one
 *   message or an invalid request.
 */
export function parseOne(frame: Uint8Array, options: ParseOptions = {}): Message {
  let only: Message | undefined;
  let count = 0;
  parseFrame(
    frame,
    {
      message(message) {
        only = message;
        count++;
      },
      invalid(error) {
        throw error;
      },
    },
    options,
  );
  if (count !== 1 || !only) throw new ProtocolError("BAD_REQUEST", `Expected a frame of one message, got ${count}`, null);
  return only;
}

function toMessage(f: Record<string, EnvelopeValue>): Message {
  switch (f.t) {
    case "req": {
      const message: Message = {
        t: "req",
        id: correlationId(f),
        to: expectString(f, "to", MAX_NAME_LENGTH, ROLE_PATTERN),
        op: expectString(f, "op", MAX_NAME_LENGTH, OP_PATTERN),
        body: body(f),
      };
      if (f.ttl !== undefined) message.ttl = expectInteger(f, "ttl", 0, MAX_TTL_MS);
      if (f.tenant !== undefined) message.tenant = expectString(f, "tenant", MAX_TENANT_LENGTH);
      if (flag(f, "stream")) message.stream = true;
      return message;
    }
    case "res": {
      const message: Message = { t: "res", id: correlationId(f), body: body(f) };
      if (flag(f, "stream")) message.stream = true;
      return message;
    }
    case "data": {
      const chunk = f.chunk;
      if (!(chunk instanceof Uint8Array)) throw new ProtocolError("BAD_REQUEST", 'Invalid field "chunk": expected a byte string', null);
      if (chunk.byteLength > MAX_CHUNK) {
        throw new ProtocolError("TOO_LARGE", `Invalid field "chunk": ${chunk.byteLength} bytes is over the limit of ${MAX_CHUNK}`, null);
      }
      const message: Message = { t: "data", id: correlationId(f), seq: expectInteger(f, "seq", 0, Number.MAX_SAFE_INTEGER), chunk };
      if (flag(f, "end")) message.end = true;
      if (flag(f, "back")) message.back = true;
      return message;
    }
    case "credit": {
      const message: Message = { t: "credit", id: correlationId(f), n: expectInteger(f, "n", 1, MAX_CREDIT) };
      if (flag(f, "back")) message.back = true;
      return message;
    }
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

// An optional boolean: absent or false is false; anything but a boolean is refused.
function flag(f: Fields, name: string): boolean {
  const value = f[name];
  if (value === undefined || value === false) return false;
  if (value === true) return true;
  throw new ProtocolError("BAD_REQUEST", `Invalid field "${name}": expected true or false`, null);
}

function body(f: Fields): Uint8Array {
  const value = f.body;
  if (value === undefined || value === null) return EMPTY;
  if (!(value instanceof Uint8Array)) throw new ProtocolError("BAD_REQUEST", 'Invalid field "body": expected a byte string', null);
  return value;
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
