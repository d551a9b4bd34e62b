/**
 * Default limits and timings shared by every part. Each is also an option of
 * the part that enforces it.
 *
 * @module
 */

/**
 * The WebSocket subprotocol every peer asks for. Version 2 carries each
 * body as a byte string and packs several messages into one frame; a peer
 * that asks for another version is told which one this side speaks.
 */
export const SUBPROTOCOL = "strongroom.v2";

/** Every subprotocol name strongroom ever used starts with this. */
export const SUBPROTOCOL_FAMILY = "strongroom.";

/** Largest WebSocket frame the broker accepts, in bytes (16 MiB). */
export const DEFAULT_MAX_FRAME = 16 * 1024 * 1024;

/** Largest record id, in bytes. */
export const DEFAULT_MAX_ID = 1024;

/** Length of a record's AES-256 key, in bytes: what `store` answers and `retrieve` takes. */
export const KEY_LENGTH = 32;

/** Length of a locator, in bytes: the storage key the encryptor derives from the id and the key. */
export const LOCATOR_LENGTH = 32;

/** Bytes of a frame kept for the envelope and the crypto overhead, besides the id. */
export const ENVELOPE_ROOM = 3072;

/** Most requests one connection may have in flight at the broker. */
export const DEFAULT_MAX_IN_FLIGHT = 1024;

/** Default time budget of a request when the caller gives none, in ms. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Largest time budget a request may carry, in ms (the largest timer delay). */
export const MAX_TTL_MS = 2_147_483_647;

/** Time a new connection has to send its `hello`, in ms. */
export const DEFAULT_HELLO_TIMEOUT_MS = 5_000;

/** Longest role or op name, in characters. */
export const MAX_NAME_LENGTH = 64;

/** Longest string correlation id, in characters. */
export const MAX_CORRELATION_ID_LENGTH = 128;

/** Longest token or actor secret, in characters. */
export const MAX_TOKEN_LENGTH = 1024;

/** Longest message of an `err`, in characters; a longer one is cut short. */
export const MAX_ERROR_MESSAGE_LENGTH = 1024;

/**
 * Largest frame a peer may send before it is welcomed, that is its `hello`,
 * in bytes (8 KiB). A token, a role, a name and a concurrency take under
 * 4 KiB at their longest; a larger first frame closes the connection (1009)
 * without being decoded, so that nobody unauthenticated makes the broker
 * decode more.
 */
export const MAX_HELLO_FRAME = 8 * 1024;

/**
 * Largest envelope of one message, in bytes (8 KiB): the message less the
 * contents of its `body` (or a stream's `chunk`), which are counted bytes
 * that nobody on the way decodes. The longest correlation id, role, op,
 * tenant and error message take under 4 KiB together; a message with a
 * larger envelope closes the connection (1009).
 */
export const MAX_ENVELOPE = 8 * 1024;

/**
 * Largest payload that fits in a frame of `maxFrame` bytes with an id of up
 * to `maxId` bytes.
 *
 * @param maxFrame The frame limit, usually from the broker's `welcome`.
 * @param maxId The id limit. @default DEFAULT_MAX_ID
 * @returns `maxFrame` less the room kept for the envelope and the id.
 */
export function maxPayloadFor(maxFrame: number, maxId: number = DEFAULT_MAX_ID): number {
  return Math.max(0, maxFrame - ENVELOPE_ROOM - maxId);
}

/** Bytes of plaintext in a chunk of a stream, as peers cut it (64 KiB). */
export const DEFAULT_CHUNK = 64 * 1024;

/** Largest chunk of a `data` message, in bytes: chunks are small so that streams interleave. */
export const MAX_CHUNK = 1024 * 1024;

/** Chunks a receiver grants at first and keeps granted: its window. */
export const DEFAULT_STREAM_WINDOW = 16;

/** Most chunks a receiver may grant at once: 2^20, so that a window never grows without bound. */
export const MAX_CREDIT = 1 << 20;

/**
 * Time a stream may go without a chunk or a credit moving, once started,
 * before it fails `TIMEOUT`, in ms: the request's own budget covers the time
 * to its first chunk, and a long upload is not cut at that budget.
 */
export const DEFAULT_STREAM_IDLE_MS = 30_000;
