/**
 * The messages of the wire protocol. A WebSocket frame carries one or more
 * of them, one after the other (a CBOR sequence, RFC 8742), each a CBOR map
 * with a `t` field. Bodies are byte strings holding the CBOR of the op's
 * arguments or result: whoever passes a message on never decodes them.
 *
 * @module
 */
import { type Code, CODES } from "./codes.ts";
import { MAX_ERROR_MESSAGE_LENGTH } from "./limits.ts";

/** A caller's correlation id: unique among its own requests in flight. */
export type CorrelationId = number | string;

/** First frame of every peer: who it is and what it wants to be. */
export interface Hello {
  t: "hello";
  /** A client token, or the actor secret for actors. */
  token?: string;
  /** The role an actor serves; absent for clients. */
  role?: string;
  /** A name for people (logs, `status`). */
  name?: string;
  /** How many requests an actor takes at once. */
  concurrency?: number;
}

/** The broker's answer to a valid `hello`. */
export interface Welcome {
  t: "welcome";
  /** The connection's id at the broker. */
  id: string;
  /** Largest frame the broker accepts, in bytes. */
  maxFrame: number;
  /** Largest payload that fits in a frame, in bytes. */
  maxPayload: number;
  /** Largest record id, in bytes. */
  maxId: number;
  /** Most requests this connection may have in flight. */
  maxInFlight: number;
  /**
   * The broker's liveness interval in ms: it pings at least twice per
   * interval and cuts off a peer silent for one. A peer that hears nothing
   * for a few intervals may take the connection for dead. Absent or 0: no pings.
   */
  heartbeat?: number;
}

/** A request, from a caller to the broker or from the broker to an actor. */
export interface Req {
  t: "req";
  id: CorrelationId;
  /** The target role. */
  to: string;
  op: string;
  /** The CBOR of the op's arguments; empty stands for `null`. */
  body: Uint8Array;
  /** Milliseconds of time budget left when the frame was sent. */
  ttl?: number;
  /**
   * The caller's tenant. Set by the broker on delivery to an actor; a value
   * sent by a caller is ignored.
   */
  tenant?: string;
  /**
   * Whether the request goes on as `data` messages from the caller under
   * the same id (an upload), sent as the actor grants `credit`.
   */
  stream?: boolean;
}

/** A successful answer. */
export interface Res {
  t: "res";
  id: CorrelationId;
  /** The CBOR of the op's result; empty stands for `null`. */
  body: Uint8Array;
  /**
   * Whether the answer goes on as `data` messages from the actor under the
   * same id (a download), sent as the caller grants `credit`. It ends with
   * a `data` marked `end`, or with an `err` under that id.
   */
  stream?: boolean;
}

/** One chunk of a stream, in either direction, under the id of its request. */
export interface Data {
  t: "data";
  id: CorrelationId;
  /** The chunk's place in the stream: 0, 1, … */
  seq: number;
  /** The chunk's bytes; nobody on the way decodes them. */
  chunk: Uint8Array;
  /** Whether it is the last chunk. */
  end?: boolean;
  /**
   * Set by the side that serves the request (a download's chunks), so that a
   * peer that both makes and serves requests on one connection, as an actor
   * does, can tell whose id it is: its own request's, or one it serves.
   */
  back?: boolean;
}

/** The receiver of a stream may take `n` more chunks. */
export interface Credit {
  t: "credit";
  id: CorrelationId;
  /** Chunks granted, on top of those granted before. */
  n: number;
  /** Set by the side that serves the request (credit for an upload); see {@link Data.back}. */
  back?: boolean;
}

/** A failed answer, or a connection-level error when `id` is `null`. */
export interface Err {
  t: "err";
  id: CorrelationId | null;
  code: Code;
  message: string;
  retryable: boolean;
}

/** The caller gives up on a request. */
export interface Cancel {
  t: "cancel";
  id: CorrelationId;
  /**
   * Why: `TIMEOUT` when the caller's time budget ran out, so that the broker
   * answers and counts it as `TIMEOUT`; absent (or `CANCELLED`) when the
   * caller aborted it. Any other value is read as absent.
   */
  code?: "TIMEOUT" | "CANCELLED";
}

/**
 * An actor asks for no new requests. The broker answers by closing the
 * connection (1000) once no request it delivered there is left unanswered.
 */
export interface Drain {
  t: "drain";
}

/** Any message of the protocol. */
export type Message = Hello | Welcome | Req | Res | Err | Cancel | Drain | Data | Credit;

/** The value of `t` of any message. */
export type MessageType = Message["t"];

/**
 * Builds an `err` frame with the registry's `retryable` for its code. A
 * message over {@link MAX_ERROR_MESSAGE_LENGTH} characters is cut short, so
 * that the frame stays within the broker's envelope limit (`MAX_ENVELOPE`).
 *
 * @param id The correlation id it answers, or `null` for the connection.
 * @param code The error code.
 * @param message What went wrong; never a key, id or payload.
 * @returns The frame.
 * @example Answering a request with `NO_ROUTE`
 * ```ts
 * import { errFrame } from "./messages.ts";
 * errFrame(7, "NO_ROUTE", 'Cannot route request: no actor registered for "encryptor"');
 * ```
 */
export function errFrame(id: CorrelationId | null, code: Code, message: string): Err {
  if (message.length > MAX_ERROR_MESSAGE_LENGTH) message = message.slice(0, MAX_ERROR_MESSAGE_LENGTH);
  return { t: "err", id, code, message, retryable: CODES[code].retryable };
}
